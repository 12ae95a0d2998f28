-- Meta's webhook verification names only a verify token: it is found by an HMAC of that token
-- (keyed from the secrets key) instead of decrypting every channel. Rows from before this script
-- get theirs when a silo starts (ChannelSecretsMaintenance), since the key is not in the database.
ALTER TABLE channels ADD COLUMN IF NOT EXISTS verify_token_hash bytea;
CREATE INDEX IF NOT EXISTS channels_verify_token_hash ON channels (verify_token_hash) WHERE verify_token_hash IS NOT NULL;
