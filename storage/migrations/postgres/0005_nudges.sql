-- PostgreSQL twin of ../0005_nudges.sql.
-- Every scheduled message (nudge DM, reminder, digest) claimed, sent or skipped: one row per
-- (team, recipient, kind, period), so a message is sent at most once however sweeps overlap.
CREATE TABLE nudge_log (
    team_id      TEXT    NOT NULL,
    recipient_id TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    period       TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('claimed', 'pending', 'sent', 'skipped')),
    claimed_at   BIGINT  NOT NULL,
    first_claimed_at BIGINT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 1,
    uncertain    INTEGER NOT NULL DEFAULT 0,
    channel_id   TEXT,
    message_ts   TEXT,
    sent_at      BIGINT,
    detail       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (team_id, recipient_id, kind, period)
);
CREATE INDEX nudge_log_by_recipient ON nudge_log (team_id, recipient_id, kind, claimed_at);
