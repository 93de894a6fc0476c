-- PostgreSQL twin of ../0004_insights.sql.
CREATE TABLE anon_salts (
    team_id TEXT PRIMARY KEY,
    salt    TEXT NOT NULL
);

CREATE TABLE thanks_offers (
    team_id    TEXT   NOT NULL,
    idem_key   TEXT   NOT NULL,
    user_id    TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (team_id, idem_key)
);

CREATE INDEX help_events_pairs ON help_events (team_id, giver_id, receiver_id, created_at)
    WHERE counted = 1;

-- SQLite's instr(), which the privacy area uses, so its SQL runs unchanged here.
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT strpos(haystack, needle)';
