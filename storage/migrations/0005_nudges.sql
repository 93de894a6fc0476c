-- Every scheduled message (nudge DM, reminder, digest) claimed, sent or skipped: one row per
-- (team, recipient, kind, period), so a message is sent at most once however sweeps overlap.
-- status: 'claimed' (a sweep is sending it, or crashed while sending), 'pending' (released after
-- a failure known not to have delivered: claim again freely), 'sent', 'skipped' (recipient gone).
CREATE TABLE nudge_log (
    team_id      TEXT    NOT NULL,
    recipient_id TEXT    NOT NULL,            -- a user id, or the digest channel id
    kind         TEXT    NOT NULL,            -- giveback | welcome | close_loop | resurface | digest
    period       TEXT    NOT NULL,            -- local date, ISO week, or the ask's id
    status       TEXT    NOT NULL CHECK (status IN ('claimed', 'pending', 'sent', 'skipped')),
    claimed_at   INTEGER NOT NULL,            -- unix seconds, UTC, of the latest claim
    first_claimed_at INTEGER NOT NULL,        -- where to start looking in the channel's history
    attempts     INTEGER NOT NULL DEFAULT 1,
    uncertain    INTEGER NOT NULL DEFAULT 0,  -- 1: an earlier claim may have sent it: check first
    channel_id   TEXT,
    message_ts   TEXT,
    sent_at      INTEGER,
    detail       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (team_id, recipient_id, kind, period)
);
CREATE INDEX nudge_log_by_recipient ON nudge_log (team_id, recipient_id, kind, claimed_at);
