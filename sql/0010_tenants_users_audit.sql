-- Empresas (tenants), their users and the audit log of every mutation.
CREATE TABLE IF NOT EXISTS tenants (
    id            uuid         PRIMARY KEY,
    name          varchar(200) NOT NULL CHECK (length(btrim(name)) > 0),
    currency      char(3)      NOT NULL DEFAULT 'COP' CHECK (currency ~ '^[A-Z]{3}$'),
    culture       varchar(20)  NOT NULL DEFAULT 'es-CO',
    time_zone     varchar(64)  NOT NULL DEFAULT 'America/Bogota',
    tone          varchar(20)  NOT NULL DEFAULT 'amigable'
                  CHECK (tone IN ('formal', 'informal', 'amigable', 'profesional')),
    instructions  varchar(4000) NOT NULL DEFAULT '',
    agent_name    varchar(60)  NOT NULL DEFAULT 'Asistente',
    created_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS users (
    id            uuid         PRIMARY KEY,
    tenant_id     uuid         NOT NULL REFERENCES tenants (id),
    name          varchar(200) NOT NULL CHECK (length(btrim(name)) > 0),
    email         varchar(254) NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
    password_hash varchar(200) NOT NULL,
    role          varchar(20)  NOT NULL CHECK (role IN ('admin', 'vendedor', 'observador')),
    active        boolean      NOT NULL DEFAULT true,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at    timestamptz  NOT NULL DEFAULT now()
);
-- Emails are unique across the whole system: a login names exactly one user.
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email);
CREATE INDEX IF NOT EXISTS users_tenant ON users (tenant_id, created_at);

CREATE TABLE IF NOT EXISTS audit_log (
    id          uuid         PRIMARY KEY,
    tenant_id   uuid         NOT NULL REFERENCES tenants (id),
    user_id     uuid,
    entity      varchar(40)  NOT NULL,
    entity_id   varchar(64),
    action      varchar(40)  NOT NULL,
    detail      jsonb        NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS audit_log_tenant_time ON audit_log (tenant_id, created_at DESC, id DESC);
