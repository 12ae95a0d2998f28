-- 0070: one SKU rule for C# and PostgreSQL.
-- SKUs are unique per empresa ignoring the case of ASCII letters only. lower(sku) under the
-- database's C.UTF-8 collation also folds other letters (the Kelvin sign U+212A to k), which the
-- TenantGrain's check did not, so an import could pass the check and then fail in COPY.
-- lower() under the "C" collation folds A-Z and nothing else, exactly as CatalogRules.SkuComparer;
-- SKUs are also stored in Unicode NFKC (CatalogRules.NormalizeSku), so the Kelvin sign is stored as K.
-- The new rule is finer than the old one, so existing rows cannot violate it.
DROP INDEX IF EXISTS products_tenant_sku;
CREATE UNIQUE INDEX products_tenant_sku ON products (tenant_id, lower(sku COLLATE "C"));
