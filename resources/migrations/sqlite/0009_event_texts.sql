-- The head of a long system prompt, stored once for all the events that carry it (an agent sends
-- the same one with every turn): the event's preview holds null in its place, and
-- events.system_digest names the text here. The readers put it back. last_used_ms is the start
-- of a request that used the text, refreshed by each writer at most hourly; a text older than
-- the oldest event by more than that hour is pruned with the events.
CREATE TABLE event_texts (
    digest TEXT PRIMARY KEY, -- 32 hex digits of the text's SHA-256
    text TEXT NOT NULL,      -- a JSON string, redacted, as the preview would hold it
    last_used_ms INTEGER NOT NULL
);
ALTER TABLE events ADD COLUMN system_digest TEXT;
