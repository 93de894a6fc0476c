-- Thanks that reach people and channels that stay calm (issue 15).

-- A channel's own language for what giveback posts there (the workspace setting otherwise),
-- set by an admin with `/giveback language ja` in the channel.
CREATE TABLE channel_settings (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    language   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,  -- unix seconds, UTC
    PRIMARY KEY (team_id, channel_id)
) WITHOUT ROWID;

-- How many messages the bot sent because of one subject (a person, a channel) in one period
-- of a kind of limit: `period` is the hour since the epoch, or 0 for "once ever".
CREATE TABLE send_counts (
    team_id    TEXT    NOT NULL,
    subject_id TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    period     INTEGER NOT NULL,
    used       INTEGER NOT NULL,
    PRIMARY KEY (team_id, subject_id, kind, period)
) WITHOUT ROWID;

-- Each thank-you emoji a person has on a message: two emoji are one thanks (event_key names
-- the help event), and taking one back leaves the thanks while the other stays.
CREATE TABLE reaction_thanks (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    message_ts TEXT    NOT NULL,
    reactor_id TEXT    NOT NULL,
    emoji      TEXT    NOT NULL,
    helper_id  TEXT    NOT NULL,  -- the message's author, whom the reaction thanks
    event_key  TEXT    NOT NULL,  -- help_events.idem_key of the thanks
    created_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, channel_id, message_ts, reactor_id, emoji)
) WITHOUT ROWID;

-- The one reply in a message's thread that rolls up every reaction thanks on it. A row with
-- no reply_ts is a claim: one delivery is posting it (claimed_at says since when).
CREATE TABLE thanks_replies (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    message_ts TEXT    NOT NULL,
    reply_ts   TEXT,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, channel_id, message_ts)
) WITHOUT ROWID;
