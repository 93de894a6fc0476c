-- PostgreSQL twin of ../0008_dm_channels.sql: each person's DM channel with the bot.
CREATE TABLE dm_channels (
    team_id    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    opened_at  BIGINT  NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
