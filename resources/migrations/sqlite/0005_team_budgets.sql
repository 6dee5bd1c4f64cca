-- The tables of team mode (see migrations/postgresql/0005), kept here so both databases carry
-- the same schema versions. An embedded (SQLite) gateway is the only one on its file: it keeps
-- its totals and reservations in memory and leaves these tables empty.
CREATE TABLE budget_totals (
    budget_id TEXT NOT NULL,
    instance TEXT NOT NULL,          -- '' or the execution, key ... of a per-subject budget
    period_start_ms INTEGER NOT NULL,
    spent_micros INTEGER NOT NULL DEFAULT 0,
    spent_tokens INTEGER NOT NULL DEFAULT 0,
    reserved_micros INTEGER NOT NULL DEFAULT 0,
    reserved_tokens INTEGER NOT NULL DEFAULT 0,
    unpriced_requests INTEGER NOT NULL DEFAULT 0, -- used tokens without a price
    PRIMARY KEY (budget_id, instance, period_start_ms)
);

CREATE TABLE budget_reservations (
    ticket TEXT NOT NULL,            -- the request id
    budget_id TEXT NOT NULL,
    instance TEXT NOT NULL,
    period_start_ms INTEGER NOT NULL,
    gateway TEXT NOT NULL,           -- the gateway process that holds it
    micros INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    PRIMARY KEY (ticket, budget_id, instance, period_start_ms)
);
CREATE INDEX budget_reservations_gateway ON budget_reservations (gateway);
CREATE INDEX budget_reservations_expiry ON budget_reservations (expires_at_ms);
