-- PostgreSQL: the same as migrations/sqlite/0003 (BIGINT times, BIGSERIAL ids).
-- Budgets, their alerts, rate limits and the kill switch. A budget's running totals are not
-- stored: they are the usage rows of its period, summed at start; reservations live only in
-- the running gateway (a crash releases them with it).
CREATE TABLE budgets (
    id TEXT PRIMARY KEY,
    definition TEXT NOT NULL, -- the budget as the admin API shows it (JSON)
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

CREATE TABLE budget_alerts (
    id BIGSERIAL PRIMARY KEY,
    budget_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('threshold', 'denying')),
    percent INTEGER NOT NULL,
    message TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);

CREATE TABLE rate_limits (
    id TEXT PRIMARY KEY,
    definition TEXT NOT NULL, -- JSON
    updated_at_ms BIGINT NOT NULL
);

CREATE TABLE kill_switches (
    scope TEXT NOT NULL CHECK (scope IN ('all', 'account', 'flow')),
    subject TEXT NOT NULL, -- '' for all
    cut INTEGER NOT NULL CHECK (cut IN (0, 1)),
    reason TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (scope, subject)
);

-- What was reserved for the request: a cost above it is an overrun, visible per row.
ALTER TABLE usage ADD COLUMN reserved_micros BIGINT;
ALTER TABLE usage ADD COLUMN reserved_tokens BIGINT;
CREATE INDEX usage_flow_started ON usage (flow, started_at_ms);
CREATE INDEX usage_account_started ON usage (account, started_at_ms);
