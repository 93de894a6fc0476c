-- Favour requests (/ask). status: held (stopped by the give-first check, not posted),
-- open, resolved, withdrawn.
CREATE TABLE asks (
    id         INTEGER PRIMARY KEY,
    team_id    TEXT    NOT NULL,
    asker_id   TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    channel_id TEXT,
    status     TEXT    NOT NULL DEFAULT 'open'
               CHECK (status IN ('held', 'open', 'resolved', 'withdrawn')),
    created_at INTEGER NOT NULL,             -- unix seconds, UTC
    closed_at  INTEGER,
    idem_key   TEXT    NOT NULL,             -- the /ask delivery (trigger_id)
    UNIQUE (team_id, idem_key)
);
CREATE INDEX asks_by_status ON asks (team_id, status, created_at);

-- People around an ask: role 'asked' (named in it), 'offered' (pressed "I can help"),
-- 'helped' (credited when it was resolved). One row per person and role.
CREATE TABLE ask_people (
    team_id    TEXT    NOT NULL,
    ask_id     INTEGER NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('asked', 'offered', 'helped')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (ask_id, role, user_id)
);
CREATE INDEX ask_people_by_user ON ask_people (team_id, user_id, role);

-- Every copy of an ask the bot posted (the channel message, DMs to the people named),
-- so each can be updated when someone offers or the ask closes.
CREATE TABLE ask_messages (
    team_id    TEXT    NOT NULL,
    ask_id     INTEGER NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    channel_id TEXT    NOT NULL,
    ts         TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('channel', 'dm')),
    lang       TEXT    NOT NULL DEFAULT 'en',
    PRIMARY KEY (ask_id, channel_id, ts)
);
