-- Team mode: the budgets' running totals and the open reservations, shared by every gateway on
-- this database. A reservation is one conditional UPDATE per layer row inside one transaction
-- (all layers or none); each reservation row belongs to a gateway and carries a lease that the
-- gateway renews while it runs, so the reservations of a crashed gateway are released by any
-- other once the lease has passed.
CREATE TABLE budget_totals (
    budget_id TEXT NOT NULL,
    instance TEXT NOT NULL,          -- '' or the execution, key ... of a per-subject budget
    period_start_ms BIGINT NOT NULL,
    spent_micros BIGINT NOT NULL DEFAULT 0,
    spent_tokens BIGINT NOT NULL DEFAULT 0,
    reserved_micros BIGINT NOT NULL DEFAULT 0,
    reserved_tokens BIGINT NOT NULL DEFAULT 0,
    unpriced_requests BIGINT NOT NULL DEFAULT 0, -- used tokens without a price
    PRIMARY KEY (budget_id, instance, period_start_ms)
);

CREATE TABLE budget_reservations (
    ticket TEXT NOT NULL,            -- the request id
    budget_id TEXT NOT NULL,
    instance TEXT NOT NULL,
    period_start_ms BIGINT NOT NULL,
    gateway TEXT NOT NULL,           -- the gateway process that holds it
    micros BIGINT NOT NULL,
    tokens BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    PRIMARY KEY (ticket, budget_id, instance, period_start_ms)
);
CREATE INDEX budget_reservations_gateway ON budget_reservations (gateway);
CREATE INDEX budget_reservations_expiry ON budget_reservations (expires_at_ms);
