-- PostgreSQL twin of ../0010_trust.sql: forget-me without a stored salt, the recipient of
-- each DM copy of an ask, reaction tombstones, and departed workspaces.
DROP TABLE anon_salts;

ALTER TABLE ask_messages ADD COLUMN recipient_id TEXT NOT NULL DEFAULT '';

CREATE TABLE reaction_tombstones (
    team_id    TEXT    NOT NULL,
    idem_key   TEXT    NOT NULL,
    removed_ts TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, idem_key)
);

CREATE TABLE workspace_departures (
    team_id     TEXT    NOT NULL PRIMARY KEY,
    departed_at BIGINT  NOT NULL
);
