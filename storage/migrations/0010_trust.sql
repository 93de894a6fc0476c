-- Forgetting a person now gives them a random token that is stored nowhere else. The salt per
-- workspace goes: kept beside the data, it let anyone holding a copy hash the member list and
-- re-identify every forgotten person. Tokens given before stay as they are, unlinkable now.
DROP TABLE anon_salts;

-- Each DM copy of an ask names the person it was sent to, so forgetting them can drop it
-- ('' for the copy in the ask's channel, and for DMs posted before this column existed).
ALTER TABLE ask_messages ADD COLUMN recipient_id TEXT NOT NULL DEFAULT '';

-- A thanks reaction taken back: Slack may redeliver its reaction_added after the
-- reaction_removed; an add no newer than the removal is a redelivery and records nothing.
-- Kept a day (Slack retries within minutes), purged as new ones are written.
CREATE TABLE reaction_tombstones (
    team_id    TEXT    NOT NULL,
    idem_key   TEXT    NOT NULL,             -- react:<channel>:<ts>:<reactor>:<emoji>
    removed_ts TEXT    NOT NULL,             -- event_ts of the reaction_removed
    created_at INTEGER NOT NULL,             -- unix seconds, UTC
    PRIMARY KEY (team_id, idem_key)
);

-- Workspaces that uninstalled the app (app_uninstalled). Everything stored for one is erased
-- when its retention period has passed, unless it installs the app again first (which
-- deletes its row here); `giveback purge --team` erases it at once.
CREATE TABLE workspace_departures (
    team_id     TEXT    NOT NULL PRIMARY KEY,
    departed_at INTEGER NOT NULL             -- unix seconds, UTC
);
