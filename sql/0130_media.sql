-- 0130: what customers send besides text. Each photo, voice note, video, document or sticker is
-- downloaded from its platform (WhatsApp Graph API media endpoints, Telegram getFile) and kept here,
-- linked to its transcript line and its empresa. A download that failed, was larger than the
-- platform's limit for its kind, or whose bytes did not match the platform's sha256 keeps its row
-- with no content and the reason in `status`, so the message is still shown with what went wrong.
CREATE TABLE IF NOT EXISTS media (
    id              uuid          PRIMARY KEY,
    tenant_id       uuid          NOT NULL REFERENCES tenants (id),
    conversation_id uuid          NOT NULL REFERENCES conversations (id),
    message_id      uuid          NOT NULL REFERENCES messages (id),
    kind            varchar(20)   NOT NULL,
    platform_id     varchar(300)  NOT NULL,
    mime            varchar(100),
    file_name       varchar(240),
    bytes           bigint        CHECK (bytes IS NULL OR bytes >= 0),
    sha256          varchar(64),
    status          varchar(20)   NOT NULL CHECK (status IN ('guardado', 'demasiado_grande', 'sha256_distinto', 'fallido')),
    error           varchar(1000),
    content         bytea,
    created_at      timestamptz   NOT NULL DEFAULT clock_timestamp(),
    CHECK ((status = 'guardado') = (content IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS media_conversation ON media (conversation_id, message_id);

-- What the agent derived from a line: a voice note's transcription, a photo's description.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS transcription varchar(8000);
ALTER TABLE messages ADD COLUMN IF NOT EXISTS description varchar(2000);
