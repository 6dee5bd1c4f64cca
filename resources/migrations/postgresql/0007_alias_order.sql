-- Pattern aliases match in the order they were created, on every gateway of a team: a stored
-- position (an update keeps it) instead of the table's row order, which PostgreSQL changes on
-- UPDATE. Existing rows keep the order they were read in.
ALTER TABLE model_aliases ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
UPDATE model_aliases SET position = numbered.n
FROM (SELECT alias, row_number() OVER (ORDER BY ctid) AS n FROM model_aliases) AS numbered
WHERE model_aliases.alias = numbered.alias;
