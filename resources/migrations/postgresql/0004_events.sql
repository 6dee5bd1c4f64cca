-- PostgreSQL: the same as migrations/sqlite/0004 (BIGINT times and sizes).
-- One normalized, redacted event per request (allowed or denied): previews of the request and
-- the response, sizes and timings. Attribution, status and money are in the usage row of the
-- same request_id (and copied into the preview). Events are pruned by age and size; usage rows
-- (the money) are kept.
CREATE TABLE events (
    request_id TEXT PRIMARY KEY,
    started_at_ms BIGINT NOT NULL,
    stored_bytes BIGINT NOT NULL, -- preview + bodies, for the size cap
    queued_us BIGINT,             -- from the request's last byte to dispatch (or refusal)
    request_bytes BIGINT NOT NULL,
    response_bytes BIGINT NOT NULL,
    preview TEXT NOT NULL,         -- JSON, redacted, bounded
    request_body TEXT,             -- redacted, only with full-body capture on
    response_body TEXT
);
CREATE INDEX events_started ON events (started_at_ms);
