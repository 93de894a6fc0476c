-- The bot's DM channel with each person, as conversations.open answered it. That method is
-- Tier 3 (about 50 calls a minute per workspace): remembered, each person's DM is opened once,
-- not once per nudge. A post that finds the channel gone drops the row and opens it again.
CREATE TABLE dm_channels (
    team_id    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    opened_at  INTEGER NOT NULL,  -- unix seconds, UTC
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
