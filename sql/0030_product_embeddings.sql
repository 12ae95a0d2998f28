-- Product vectors cached by embedding model and content hash, so a re-import embeds only what
-- changed and an activation embeds nothing it has seen before. Shared by all empresas: the same
-- text under the same model has the same vector.
CREATE TABLE IF NOT EXISTS product_embeddings (
    model        varchar(100) NOT NULL,
    content_hash bytea        NOT NULL,
    dimensions   integer      NOT NULL CHECK (dimensions > 0),
    vector       real[]       NOT NULL CHECK (cardinality(vector) = dimensions),
    created_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (model, content_hash)
);
