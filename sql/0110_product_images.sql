-- 0110: imagen_url, a product's picture as an absolute http(s) URL (at most 2000 characters).
-- Checked by CatalogRules.ImageUrl (scheme http or https, a host, no spaces or control
-- characters); the database bounds the length and the scheme too. The agent sends it as a
-- WhatsApp image (or a Telegram photo) when its reply shows that one product.
ALTER TABLE products ADD COLUMN IF NOT EXISTS image_url varchar(2000);
ALTER TABLE products DROP CONSTRAINT IF EXISTS products_image_url_http;
ALTER TABLE products ADD CONSTRAINT products_image_url_http CHECK (image_url IS NULL OR image_url ~ '^https?://');
