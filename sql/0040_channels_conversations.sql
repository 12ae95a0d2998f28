-- Channels (WhatsApp Cloud API, Telegram) per empresa, the idempotency inbox of webhook
-- deliveries, the replies sent, and the conversations with their transcripts.
CREATE TABLE IF NOT EXISTS channels (
    id          uuid         PRIMARY KEY,
    tenant_id   uuid         NOT NULL REFERENCES tenants (id),
    kind        varchar(20)  NOT NULL CHECK (kind IN ('whatsapp', 'telegram')),
    external_id varchar(100) NOT NULL,
    secrets     bytea        NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, kind),
    UNIQUE (kind, external_id)
);

-- One row per delivered message, unique by the platform's id: a repeated delivery inserts nothing.
CREATE TABLE IF NOT EXISTS inbound_messages (
    channel          varchar(20)  NOT NULL,
    message_id       varchar(200) NOT NULL,
    tenant_id        uuid         NOT NULL REFERENCES tenants (id),
    conversation_key varchar(300) NOT NULL,
    sender_name      varchar(200),
    text             varchar(4096) NOT NULL,
    sent_at          timestamptz  NOT NULL,
    received_at      timestamptz  NOT NULL DEFAULT clock_timestamp(),
    processed_at     timestamptz,
    PRIMARY KEY (channel, message_id)
);
CREATE INDEX IF NOT EXISTS inbound_pending ON inbound_messages (conversation_key, sent_at) WHERE processed_at IS NULL;

CREATE TABLE IF NOT EXISTS conversations (
    id               uuid         PRIMARY KEY,
    conversation_key varchar(300) NOT NULL UNIQUE,
    tenant_id        uuid         NOT NULL REFERENCES tenants (id),
    channel          varchar(20)  NOT NULL,
    address          varchar(200) NOT NULL,
    customer_name    varchar(200),
    customer_phone   varchar(20),
    state            varchar(10)  NOT NULL DEFAULT 'agente' CHECK (state IN ('agente', 'humano')),
    last_message     varchar(4096),
    updated_at       timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS conversations_tenant ON conversations (tenant_id, updated_at DESC);

CREATE TABLE IF NOT EXISTS messages (
    id              uuid          PRIMARY KEY,
    conversation_id uuid          NOT NULL REFERENCES conversations (id),
    role            varchar(10)   NOT NULL CHECK (role IN ('cliente', 'agente', 'humano')),
    text            varchar(8000) NOT NULL,
    created_at      timestamptz   NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages (conversation_id, created_at);

-- Replies sent through a platform, with what the platform answered (wamid, or an error code such as 131047).
CREATE TABLE IF NOT EXISTS outbound_messages (
    id              uuid          PRIMARY KEY,
    conversation_id uuid          NOT NULL REFERENCES conversations (id),
    external_id     varchar(200),
    status          varchar(20)   NOT NULL,
    error_code      varchar(20),
    error_message   varchar(1000),
    created_at      timestamptz   NOT NULL DEFAULT clock_timestamp()
);

-- Delivery statuses reported by WhatsApp (sent, delivered, read, failed); they may arrive out of order.
CREATE TABLE IF NOT EXISTS delivery_statuses (
    external_id varchar(200) NOT NULL,
    status      varchar(20)  NOT NULL,
    at          timestamptz  NOT NULL,
    error_code  varchar(20),
    PRIMARY KEY (external_id, status)
);
