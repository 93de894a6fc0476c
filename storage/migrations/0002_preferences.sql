-- Workspace-wide settings (policy, thresholds, delivery window, ...), one JSON document per team,
-- so a new setting needs no migration; unknown keys are ignored, missing ones take defaults.
CREATE TABLE workspace_settings (
    team_id    TEXT    PRIMARY KEY,
    settings   TEXT    NOT NULL DEFAULT '{}',
    updated_at INTEGER NOT NULL
);

-- Each person's own choices (nudges on/off, hidden from the leaderboard, ...), likewise JSON.
CREATE TABLE user_preferences (
    team_id     TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    preferences TEXT    NOT NULL DEFAULT '{}',
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
