-- Inbox processing has a retry limit: every attempt to answer a row counts, and a row that used
-- up its attempts is a dead letter — processed, with the error that stopped it — so it no longer
-- holds back the chat's next messages. GET /conversaciones/{id} lists a chat's dead letters.
ALTER TABLE inbound_messages ADD COLUMN IF NOT EXISTS attempts   integer NOT NULL DEFAULT 0;
ALTER TABLE inbound_messages ADD COLUMN IF NOT EXISTS failed_at  timestamptz;
ALTER TABLE inbound_messages ADD COLUMN IF NOT EXISTS last_error varchar(1000);
CREATE INDEX IF NOT EXISTS inbound_dead_letters ON inbound_messages (conversation_key, failed_at) WHERE failed_at IS NOT NULL;
