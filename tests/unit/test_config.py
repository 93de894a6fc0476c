"""Settings from the environment, and the CLI's handling of bad configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_environ
from tests.support.paths import ROOT

BASE = {"SLACK_BOT_TOKEN": "xoxb-1-abc", "SLACK_SIGNING_SECRET": "s3cret"}


def test_http_mode_defaults() -> None:
    settings = Settings.from_env(BASE)
    assert not settings.socket_mode
    assert (settings.port, settings.database, settings.slack_api_url) == (
        3000,
        "giveback.db",
        "https://slack.com/api/",
    )


def test_operations_settings_default_to_text_logs_no_metrics_and_no_probe_port() -> None:
    settings = Settings.from_env(BASE)
    assert (settings.log_format, settings.metrics, settings.health_port) == ("text", False, None)
    chosen = Settings.from_env(
        BASE
        | {"GIVEBACK_LOG_FORMAT": "JSON", "GIVEBACK_METRICS": "on", "GIVEBACK_HEALTH_PORT": "8080"}
    )
    assert (chosen.log_format, chosen.metrics, chosen.health_port) == ("json", True, 8080)


def test_socket_mode_needs_no_signing_secret() -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode


def test_api_url_gets_its_trailing_slash() -> None:
    assert Settings.from_env(
        BASE | {"SLACK_API_URL": "http://127.0.0.1:9/api"}
    ).slack_api_url.endswith("/api/")


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "   "}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
        (BASE | {"PORT": "eighty"}, "PORT"),
        (BASE | {"PORT": "70000"}, "PORT"),
        (BASE | {"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        (BASE | {"GIVEBACK_LOG_LEVEL": "LOUD"}, "GIVEBACK_LOG_LEVEL"),
        (BASE | {"GIVEBACK_LANGUAGE": "fr"}, "GIVEBACK_LANGUAGE"),
        (BASE | {"GIVEBACK_LOG_FORMAT": "xml"}, "GIVEBACK_LOG_FORMAT"),
        (BASE | {"GIVEBACK_METRICS": "maybe"}, "GIVEBACK_METRICS"),
        (BASE | {"GIVEBACK_HEALTH_PORT": "0"}, "GIVEBACK_HEALTH_PORT"),
        (BASE | {"SLACK_APP_TOKEN": "xapp-1", "GIVEBACK_METRICS": "on"}, "GIVEBACK_HEALTH_PORT"),
    ],
)
def test_bad_configuration_names_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(environ)


def test_secrets_never_appear_in_repr() -> None:
    settings = Settings.from_env(BASE | {"SLACK_APP_TOKEN": "xapp-very-secret"})
    shown = repr(settings)
    assert "xoxb-1-abc" not in shown and "s3cret" not in shown and "xapp-very-secret" not in shown


def test_dotenv_fills_in_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("SLACK_BOT_TOKEN=xoxb-from-file\nPORT=4000\n")
    monkeypatch.setenv("PORT", "5000")
    merged = load_environ(env_file)
    assert merged["SLACK_BOT_TOKEN"] == "xoxb-from-file"
    assert merged["PORT"] == "5000"


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GIVEBACK_", "PORT"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.main", *args],
        env=clean | env | {"PYTHONPATH": str(ROOT)},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "x"}, "PORT"),
    ],
)
def test_run_with_bad_configuration_exits_2_with_one_line(
    env: dict[str, str], named: str, tmp_path: Path
) -> None:
    result = run_cli("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0]
    assert "Traceback" not in result.stderr
    assert "xoxb-1" not in result.stderr


def test_unknown_cli_command_exits_2(tmp_path: Path) -> None:
    result = run_cli("frobnicate", env={}, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
