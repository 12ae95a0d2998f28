-- Idempotency-Key of POST /ventas, /productos and /clientes (src/Api/Infrastructure/Idempotency.cs):
-- one row per (empresa, key) holding a hash of the request and, once it is answered, the answer
-- to repeat. A row without status is a request still in flight. Rows live 24 hours.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    tenant_id     uuid          NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key           varchar(200)  NOT NULL,
    request_hash  bytea         NOT NULL,
    status        smallint      CHECK (status BETWEEN 200 AND 499),
    content_type  varchar(200),
    location      varchar(500),
    body          bytea,
    created_at    timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
