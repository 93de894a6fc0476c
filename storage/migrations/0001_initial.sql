-- The ledger: one row per act of help, scoped by workspace.
CREATE TABLE help_events (
    id          INTEGER PRIMARY KEY,
    team_id     TEXT    NOT NULL,
    giver_id    TEXT    NOT NULL,
    receiver_id TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    source      TEXT    NOT NULL,
    channel_id  TEXT,
    created_at  INTEGER NOT NULL,            -- unix seconds, UTC
    idem_key    TEXT    NOT NULL,            -- derived from Slack's delivery
    counted     INTEGER NOT NULL DEFAULT 1,  -- 0: over the per-pair daily cap
    CHECK (giver_id <> receiver_id),
    UNIQUE (team_id, idem_key)
);
CREATE INDEX help_events_by_giver ON help_events (team_id, giver_id, created_at);
CREATE INDEX help_events_by_receiver ON help_events (team_id, receiver_id, created_at);
CREATE INDEX help_events_by_time ON help_events (team_id, created_at);

-- users.info, cached: bots are refused, timezones and locales drive nudges and language.
CREATE TABLE user_profiles (
    team_id    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    name       TEXT    NOT NULL DEFAULT '',
    is_bot     INTEGER NOT NULL DEFAULT 0,
    deleted    INTEGER NOT NULL DEFAULT 0,
    is_admin   INTEGER NOT NULL DEFAULT 0,
    tz         TEXT,
    locale     TEXT,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
