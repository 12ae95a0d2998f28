-- 0090: palabras_clave, the words a shop's customers use for a product.
-- Checked and normalised by CatalogRules.Keywords (each 1–60 characters, trimmed, at most 30,
-- no case-insensitive repeats); the database keeps the count bounded too. Search indexes them
-- with the product's name, category and description.
ALTER TABLE products ADD COLUMN IF NOT EXISTS keywords text[] NOT NULL DEFAULT '{}';
ALTER TABLE products ADD CONSTRAINT products_keywords_bounded CHECK (cardinality(keywords) <= 30);
