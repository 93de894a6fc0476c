-- Multi-workspace distribution (OAuth): who installed the app where, with which tokens, and the
-- one-time state values of install flows in progress. Each document is Slack SDK's own
-- installation dict as JSON, so new SDK fields need no migration. team_id is '' for an
-- org-wide (Enterprise Grid) install; enterprise_id is '' outside Enterprise Grid.
CREATE TABLE slack_installations (
    enterprise_id TEXT    NOT NULL DEFAULT '',
    team_id       TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,   -- the installer
    document      TEXT    NOT NULL,
    installed_at  INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, team_id, user_id)
);
CREATE INDEX slack_installations_latest ON slack_installations (enterprise_id, team_id, installed_at);

CREATE TABLE slack_bots (
    enterprise_id TEXT    NOT NULL DEFAULT '',
    team_id       TEXT    NOT NULL,
    document      TEXT    NOT NULL,
    installed_at  INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, team_id)
);

-- No team yet while an install is in progress: the one table not scoped by team.
CREATE TABLE oauth_states (
    state      TEXT    PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
