-- Orleans ADO.NET providers read every statement they run from this table, keyed by name.
-- The providers query it as "SELECT QueryKey, QueryText FROM OrleansQuery"; unquoted names fold to lower case.
CREATE TABLE IF NOT EXISTS orleansquery (
    querykey  varchar(64)   PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);
