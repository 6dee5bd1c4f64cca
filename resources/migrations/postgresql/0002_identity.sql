-- PostgreSQL: the same as migrations/sqlite/0002 (BIGINT times, BIGSERIAL ids).
-- Who is calling: the subjects a request belongs to, the runtime credentials that carry them,
-- the runtime sessions seen on the wire, and the attribution of every usage row.
-- Allowed-model lists are JSON arrays of aliases or patterns; an empty array allows every model.
CREATE TABLE accounts (
    name TEXT PRIMARY KEY,
    created_at_ms BIGINT NOT NULL
);
INSERT INTO accounts (name, created_at_ms) VALUES ('default', 0);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (name),
    created_at_ms BIGINT NOT NULL
);

-- Keys made through the admin API (keys from the configuration file are not copied here).
CREATE TABLE api_keys (
    name TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (name),
    user_name TEXT REFERENCES users (name),
    sha256 TEXT NOT NULL UNIQUE,
    allowed_models TEXT NOT NULL DEFAULT '[]',
    created_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT
);

CREATE TABLE flows (
    name TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (name),
    allowed_models TEXT NOT NULL DEFAULT '[]',
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE runtime_principals (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('claude-code', 'codex', 'opencode', 'sdk', 'custom')),
    account TEXT NOT NULL REFERENCES accounts (name),
    allowed_models TEXT NOT NULL DEFAULT '[]',
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE flow_executions (
    id TEXT PRIMARY KEY,
    flow TEXT,
    account TEXT NOT NULL,
    principal TEXT,
    command TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
    exit_status INTEGER,
    started_at_ms BIGINT NOT NULL,
    ended_at_ms BIGINT
);

-- The token itself is never stored: its id is public, its secret part only as SHA-256.
CREATE TABLE runtime_credentials (
    id TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL,
    account TEXT NOT NULL,
    user_name TEXT,
    api_key TEXT,
    flow TEXT,
    execution_id TEXT,
    principal TEXT,
    principal_type TEXT,
    allowed_models TEXT NOT NULL DEFAULT '[]',
    default_model TEXT,
    governed INTEGER NOT NULL CHECK (governed IN (0, 1)),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT
);

CREATE TABLE runtime_sessions (
    id TEXT PRIMARY KEY,
    parent_id TEXT,
    external_id TEXT NOT NULL,
    source TEXT NOT NULL,
    owner TEXT NOT NULL,
    account TEXT,
    principal TEXT,
    principal_type TEXT,
    flow TEXT,
    execution_id TEXT,
    credential_id TEXT,
    first_seen_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX runtime_sessions_parent ON runtime_sessions (parent_id);

-- Aliases made or changed through the admin API; they override the configuration file's.
CREATE TABLE model_aliases (
    alias TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    model TEXT,
    direct_for TEXT NOT NULL DEFAULT '[]',
    updated_at_ms BIGINT NOT NULL
);

-- Every change made through the admin API: when, by whom, what it was and what it became.
CREATE TABLE admin_audit (
    id BIGSERIAL PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);

ALTER TABLE usage ADD COLUMN user_name TEXT;
ALTER TABLE usage ADD COLUMN flow TEXT;
ALTER TABLE usage ADD COLUMN execution_id TEXT;
ALTER TABLE usage ADD COLUMN runtime_session TEXT;
ALTER TABLE usage ADD COLUMN principal TEXT;
ALTER TABLE usage ADD COLUMN principal_type TEXT;
ALTER TABLE usage ADD COLUMN credential_id TEXT;
ALTER TABLE usage ADD COLUMN governed INTEGER NOT NULL DEFAULT 1 CHECK (governed IN (0, 1));
CREATE INDEX usage_execution ON usage (execution_id, started_at_ms);
CREATE INDEX usage_session ON usage (runtime_session, started_at_ms);
