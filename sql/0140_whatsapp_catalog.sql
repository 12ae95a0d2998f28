-- 0140: the WhatsApp (Meta) catalog of an empresa. `channels.catalog_id` is the Meta catalog connected to the
-- WhatsApp number (digits, at most 20; null when none). `whatsapp_catalog_items` remembers which skus the last
-- pushes (POST /canales/whatsapp/catalogo) got into that catalog: the agent offers a product as a catalog item
-- (`product_list`) only when its sku is there, and the next push deletes from Meta what is there and should not be.
ALTER TABLE channels ADD COLUMN IF NOT EXISTS catalog_id varchar(20);
ALTER TABLE channels DROP CONSTRAINT IF EXISTS channels_catalog_id_digits;
ALTER TABLE channels ADD CONSTRAINT channels_catalog_id_digits CHECK (catalog_id IS NULL OR catalog_id ~ '^[0-9]{1,20}$');

CREATE TABLE IF NOT EXISTS whatsapp_catalog_items (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    catalog_id  varchar(20) NOT NULL,
    sku         varchar(64) NOT NULL,
    product_id  uuid        NOT NULL,
    pushed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, catalog_id, sku)
);
