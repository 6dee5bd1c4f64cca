-- Calls made outside a flow, an execution or a runtime session (plain API-key traffic) leave
-- those columns NULL, and no query looks such rows up through these indexes: every one asks for
-- a value (= ?, IN, IS NOT NULL). Partial indexes skip them, so such a call's row costs three
-- index insertions less.
DROP INDEX usage_execution;
DROP INDEX usage_session;
DROP INDEX usage_flow_started;
CREATE INDEX usage_execution ON usage (execution_id, started_at_ms) WHERE execution_id IS NOT NULL;
CREATE INDEX usage_session ON usage (runtime_session, started_at_ms) WHERE runtime_session IS NOT NULL;
CREATE INDEX usage_flow_started ON usage (flow, started_at_ms) WHERE flow IS NOT NULL;
