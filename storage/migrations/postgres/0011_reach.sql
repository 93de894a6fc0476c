-- PostgreSQL twin of ../0011_reach.sql: channel languages, send counts, reaction roll-ups.
CREATE TABLE channel_settings (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    language   TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, channel_id)
);

CREATE TABLE send_counts (
    team_id    TEXT    NOT NULL,
    subject_id TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    period     INTEGER NOT NULL,
    used       INTEGER NOT NULL,
    PRIMARY KEY (team_id, subject_id, kind, period)
);

CREATE TABLE reaction_thanks (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    message_ts TEXT    NOT NULL,
    reactor_id TEXT    NOT NULL,
    emoji      TEXT    NOT NULL,
    helper_id  TEXT    NOT NULL,
    event_key  TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, channel_id, message_ts, reactor_id, emoji)
);

CREATE TABLE thanks_replies (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    message_ts TEXT    NOT NULL,
    reply_ts   TEXT,
    claimed_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, channel_id, message_ts)
);
