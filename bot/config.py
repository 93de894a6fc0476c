"""Settings from the environment (and ``.env``), validated once at start-up."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from bot import logformat, redaction
from storage import parse_database_url

SLACK_API_URL = "https://slack.com/api/"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
SWITCH_ON, SWITCH_OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class ConfigError(Exception):
    """A missing or malformed setting; the message names the variable and is safe to print."""


# The manifest's bot scopes: what an OAuth install asks each workspace for.
DEFAULT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "channels:read",  # member_joined_channel in public channels (the intro)
    "chat:write",
    "commands",
    "groups:read",  # member_joined_channel in private channels
    "im:history",
    "im:write",
    "reactions:read",
    "users:read",
)


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    port: int = 3000
    slack_api_url: str = SLACK_API_URL
    database: str = "giveback.db"
    log_level: str = "INFO"
    language: str = "en"
    # OAuth (many workspaces): set both to install through /slack/install instead of one token.
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    redirect_uri: str | None = None
    # Seal the installations' tokens at rest (bot.sealing); newest key first.
    token_keys: tuple[str, ...] = field(default=(), repr=False)
    # Operating it (README "Operating giveback"): log lines as text or JSON, Prometheus
    # metrics on /metrics, and a port of its own for the probes (and the metrics).
    log_format: str = "text"
    metrics: bool = False
    health_port: int | None = None

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @property
    def multi_workspace(self) -> bool:
        return self.client_id is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from a mapping; raise ConfigError naming the first bad variable."""
        env = {k: v.strip() for k, v in environ.items() if v is not None and v.strip()}
        client_id, client_secret, scopes, redirect_uri = _oauth(env)
        bot_token = env.get("SLACK_BOT_TOKEN")
        if client_id is None:
            bot_token = _required(env, "SLACK_BOT_TOKEN")
        if bot_token is not None and not bot_token.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with 'xoxb-'")
        app_token = env.get("SLACK_APP_TOKEN")
        if app_token is not None and not app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with 'xapp-'")
        signing_secret = env.get("SLACK_SIGNING_SECRET")
        if app_token is None and signing_secret is None:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)"
            )
        api_url = env.get("SLACK_API_URL", SLACK_API_URL)
        if not api_url.startswith(("http://", "https://")):
            raise ConfigError("SLACK_API_URL must be an http:// or https:// URL")
        log_level = env.get("GIVEBACK_LOG_LEVEL", "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise ConfigError(f"GIVEBACK_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        language = env.get("GIVEBACK_LANGUAGE", "en").lower()
        if language not in ("en", "ja"):
            raise ConfigError("GIVEBACK_LANGUAGE must be 'en' or 'ja'")
        database = database_path(env)
        log_format = env.get("GIVEBACK_LOG_FORMAT", "text").lower()
        if log_format not in logformat.FORMATS:
            raise ConfigError("GIVEBACK_LOG_FORMAT must be 'text' or 'json'")
        metrics = env.get("GIVEBACK_METRICS", "off").lower()
        if metrics not in SWITCH_ON + SWITCH_OFF:
            raise ConfigError("GIVEBACK_METRICS must be on or off (1/0, true/false, yes/no)")
        health_port = env.get("GIVEBACK_HEALTH_PORT")
        if metrics in SWITCH_ON and app_token is not None and health_port is None:
            raise ConfigError(
                "GIVEBACK_METRICS needs GIVEBACK_HEALTH_PORT in Socket Mode (no HTTP port to serve /metrics)"
            )
        return cls(
            token_keys=token_keys(env),
            bot_token=bot_token,
            signing_secret=signing_secret,
            app_token=app_token,
            port=_port(env.get("PORT", "3000")),
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            database=database,
            log_level=log_level,
            language=language,
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            redirect_uri=redirect_uri,
            log_format=log_format,
            metrics=metrics in SWITCH_ON,
            health_port=None if health_port is None else _port(health_port, "GIVEBACK_HEALTH_PORT"),
        )


def load_environ(env_file: Path | None = Path(".env")) -> dict[str, str]:
    """The process environment over the values of ``.env`` (real environment wins)."""
    merged: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(os.environ)
    return merged


def database_path(environ: Mapping[str, str]) -> str:
    """The database setting alone (commands like ``migrate`` need no Slack tokens): a path,
    ``sqlite:///path`` or ``postgresql://...``; ConfigError when it is none of those."""
    raw = environ.get("GIVEBACK_DATABASE", "").strip() or "giveback.db"
    try:
        parse_database_url(raw)
    except ValueError as exc:
        raise ConfigError(f"GIVEBACK_DATABASE: {exc}") from None
    return raw


def configure_logging(level: str, log_format: str = "text") -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        force=True,
    )
    for handler in logging.getLogger().handlers:
        logformat.apply(handler, log_format)
    redaction.install(escape_lines=log_format != "json")  # secrets out, one line per record


def _oauth(
    env: Mapping[str, str],
) -> tuple[str | None, str | None, tuple[str, ...], str | None]:
    """SLACK_CLIENT_ID/SECRET (both or neither), SLACK_SCOPES, SLACK_REDIRECT_URI."""
    client_id, client_secret = env.get("SLACK_CLIENT_ID"), env.get("SLACK_CLIENT_SECRET")
    if (client_id is None) != (client_secret is None):
        raise ConfigError("set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth, or neither")
    scopes = tuple(s.strip() for s in env.get("SLACK_SCOPES", "").split(",") if s.strip())
    redirect_uri = env.get("SLACK_REDIRECT_URI")
    if redirect_uri is not None and not redirect_uri.startswith(("https://", "http://")):
        raise ConfigError("SLACK_REDIRECT_URI must be an https:// URL")
    if client_id is None:
        return None, None, DEFAULT_SCOPES, None
    if "SLACK_BOT_TOKEN" in env:
        raise ConfigError(
            "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SECRET (OAuth), not both"
        )
    if "SLACK_APP_TOKEN" in env:
        raise ConfigError("OAuth installs need HTTP mode: unset SLACK_APP_TOKEN")
    return client_id, client_secret, scopes or DEFAULT_SCOPES, redirect_uri


def token_keys(env: Mapping[str, str]) -> tuple[str, ...]:
    """GIVEBACK_TOKEN_KEY: one key, or several comma-separated (newest first) while rotating."""
    from bot.sealing import BadKey, check_key

    keys = tuple(k.strip() for k in env.get("GIVEBACK_TOKEN_KEY", "").split(",") if k.strip())
    for n, key in enumerate(keys, 1):
        try:
            check_key(key)
        except BadKey:
            raise ConfigError(
                f"GIVEBACK_TOKEN_KEY: key {n} is not a key (`giveback keygen` prints a new one)"
            ) from None
    return keys


def _required(env: Mapping[str, str], name: str) -> str:
    if name not in env:
        raise ConfigError(f"{name} is not set (see .env.example)")
    return env[name]


def _port(raw: str, name: str = "PORT") -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name} must be a number between 1 and 65535, got {raw!r}")
    return int(raw)
