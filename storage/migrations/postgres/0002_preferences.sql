-- PostgreSQL twin of ../0002_preferences.sql.
CREATE TABLE workspace_settings (
    team_id    TEXT   PRIMARY KEY,
    settings   TEXT   NOT NULL DEFAULT '{}',
    updated_at BIGINT NOT NULL
);

CREATE TABLE user_preferences (
    team_id     TEXT   NOT NULL,
    user_id     TEXT   NOT NULL,
    preferences TEXT   NOT NULL DEFAULT '{}',
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
