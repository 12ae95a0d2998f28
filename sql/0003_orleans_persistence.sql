-- Orleans grain state (Microsoft.Orleans.Persistence.AdoNet 10.4.2).
-- version is the state's etag: a write must present the version it read; the first write presents none.
CREATE TABLE IF NOT EXISTS orleans_grain_state (
    service_id     varchar(150) NOT NULL,
    grain_type     varchar(512) NOT NULL,
    grain_id_n0    bigint       NOT NULL,
    grain_id_n1    bigint       NOT NULL,
    grain_id_ext   varchar(512) NOT NULL DEFAULT '',
    payload        bytea,
    version        integer      NOT NULL,
    modified_at    timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $$
SELECT payload AS PayloadBinary, version AS Version
  FROM orleans_grain_state
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
$$),
('WriteToStorageKey', $$
WITH updated AS (
    UPDATE orleans_grain_state
       SET payload = @PayloadBinary, version = version + 1, modified_at = now()
     WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
       AND @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
    RETURNING version),
inserted AS (
    INSERT INTO orleans_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''), @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted LIMIT 1) AS NewGrainStateVersion
$$),
('ClearStorageKey', $$
UPDATE orleans_grain_state
   SET payload = NULL, version = version + 1, modified_at = now()
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version
$$),
('DeleteStorageKey', $$
DELETE FROM orleans_grain_state
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version + 1
$$)
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
