-- Every inbound message keeps what kind it is and the platform's own data for that kind, so nothing a
-- customer sends is reduced to text before it is stored: a photo keeps its media id, a catalog cart its
-- items. `text` stays what the agent reads (a caption, a transcription, a description, or a short marker).
-- `payload` is the platform's object for that kind (e.g. WhatsApp's `image{id,mime_type,sha256,caption}`,
-- `order{catalog_id,product_items[]}`), bounded by the payload readers.
ALTER TABLE inbound_messages ADD COLUMN IF NOT EXISTS kind varchar(20) NOT NULL DEFAULT 'texto';
ALTER TABLE inbound_messages ADD COLUMN IF NOT EXISTS payload jsonb;

-- The transcript line says what kind of message it was (texto for every line written before this script).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS kind varchar(20) NOT NULL DEFAULT 'texto';
