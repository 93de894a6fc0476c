"""Settings for outgrowing one machine: database URLs and OAuth (many workspaces)."""

from __future__ import annotations

import pytest
import yaml

from bot.config import DEFAULT_SCOPES, ConfigError, Settings, database_path
from tests.support.paths import ROOT

SECRET = {"SLACK_SIGNING_SECRET": "s3cret"}
OAUTH = SECRET | {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "shh"}


@pytest.mark.parametrize(
    "value", ["giveback.db", "sqlite:///data/giveback.db", "postgresql://bot:pw@db:5432/giveback"]
)
def test_the_database_setting_takes_a_path_or_a_url(value: str) -> None:
    settings = Settings.from_env(SECRET | {"SLACK_BOT_TOKEN": "xoxb-1", "GIVEBACK_DATABASE": value})
    assert settings.database == value == database_path({"GIVEBACK_DATABASE": value})


def test_an_unknown_database_scheme_names_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"GIVEBACK_DATABASE.*mysql"):
        database_path({"GIVEBACK_DATABASE": "mysql://db/giveback"})


def test_oauth_mode_needs_no_bot_token() -> None:
    settings = Settings.from_env(OAUTH)
    assert settings.multi_workspace and settings.bot_token is None
    assert settings.scopes == DEFAULT_SCOPES
    assert "shh" not in repr(settings)


def test_token_mode_stays_the_default() -> None:
    settings = Settings.from_env(SECRET | {"SLACK_BOT_TOKEN": "xoxb-1"})
    assert not settings.multi_workspace


def test_scopes_and_redirect_can_be_set() -> None:
    settings = Settings.from_env(
        OAUTH | {"SLACK_SCOPES": "commands, chat:write", "SLACK_REDIRECT_URI": "https://x/r"}
    )
    assert settings.scopes == ("commands", "chat:write")
    assert settings.redirect_uri == "https://x/r"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        (SECRET | {"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
        (OAUTH | {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_BOT_TOKEN"),
        (OAUTH | {"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_APP_TOKEN"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "shh"}, "SLACK_SIGNING_SECRET"),
        (OAUTH | {"SLACK_REDIRECT_URI": "example.com/r"}, "SLACK_REDIRECT_URI"),
    ],
)
def test_contradictory_oauth_settings_name_the_variable(
    environ: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(environ)


@pytest.mark.parametrize("name", ["manifest.yml", "manifest.oauth.yml"])
def test_default_scopes_are_the_manifests(name: str) -> None:
    manifest = yaml.safe_load((ROOT / name).read_text())
    assert set(DEFAULT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])
