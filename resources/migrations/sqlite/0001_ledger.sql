-- The usage ledger: one row per request, written in batches by the store thread.
-- Money is integer micro-dollars; NULL cost_micros means unpriced, never $0.
CREATE TABLE usage (
    id INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    started_at_ms INTEGER NOT NULL,
    account TEXT,
    api_key TEXT,
    endpoint TEXT,
    provider TEXT,
    model_alias TEXT,
    upstream_model TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens INTEGER NOT NULL DEFAULT 0,
    usage_reported INTEGER NOT NULL CHECK (usage_reported IN (0, 1)),
    cost_micros INTEGER,
    price_source TEXT NOT NULL,
    first_byte_us INTEGER,
    duration_us INTEGER NOT NULL,
    http_status INTEGER NOT NULL,
    stream INTEGER NOT NULL CHECK (stream IN (0, 1)),
    outcome TEXT NOT NULL,
    error TEXT
);

-- Covers the dashboard's time-window sums by model without touching the table.
CREATE INDEX usage_started_model_cost ON usage (started_at_ms, model_alias, cost_micros);
