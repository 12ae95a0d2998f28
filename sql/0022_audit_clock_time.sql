-- Audit rows written in one transaction used to share now(); the wall clock orders them as they happened.
ALTER TABLE audit_log ALTER COLUMN created_at SET DEFAULT clock_timestamp();
