-- PostgreSQL (team mode): the same tables and columns as migrations/sqlite/0001, with BIGINT
-- for times, tokens and money (micro-dollars) and BIGSERIAL ids.
-- The usage ledger: one row per request, written in batches by the store thread.
-- Money is integer micro-dollars; NULL cost_micros means unpriced, never $0.
CREATE TABLE usage (
    id BIGSERIAL PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    started_at_ms BIGINT NOT NULL,
    account TEXT,
    api_key TEXT,
    endpoint TEXT,
    provider TEXT,
    model_alias TEXT,
    upstream_model TEXT,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    total_tokens BIGINT NOT NULL DEFAULT 0,
    cached_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens BIGINT NOT NULL DEFAULT 0,
    usage_reported INTEGER NOT NULL CHECK (usage_reported IN (0, 1)),
    cost_micros BIGINT,
    price_source TEXT NOT NULL,
    first_byte_us BIGINT,
    duration_us BIGINT NOT NULL,
    http_status INTEGER NOT NULL,
    stream INTEGER NOT NULL CHECK (stream IN (0, 1)),
    outcome TEXT NOT NULL,
    error TEXT
);

-- Covers the dashboard's time-window sums by model without touching the table.
CREATE INDEX usage_started_model_cost ON usage (started_at_ms, model_alias, cost_micros);
