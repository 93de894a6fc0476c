"""The AsyncApp factory: one app, its Web API client, the listeners and one error handler."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.services.deps import Deps
from bot.slack.failures import handle_error
from bot.slack.middleware import Prepare
from bot.slack.oauth import oauth_settings
from bot.slack.workspace import OneWorkspace
from handlers import (
    admin,
    ask_actions,
    asks,
    channels,
    commands,
    home,
    insights,
    mentions,
    messages,
    nudges,
    reactions,
    shortcuts,
    subcommands,
)
from handlers.subcommands import Subcommands

log = logging.getLogger("giveback")
# Every feature's listeners, each module with register(app, subcommands).
FEATURES = (
    commands,
    mentions,
    home,
    insights,
    messages,
    asks,
    ask_actions,
    reactions,
    shortcuts,
    nudges,
    admin,
    channels,
)


def build_client(
    settings: Settings, session: aiohttp.ClientSession | None = None
) -> AsyncWebClient:
    """The Web API client every listener gets; Bolt copies base_url, session and retries.

    Without a shared ``session`` slack_sdk opens a new connection for every call.
    """
    return AsyncWebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        session=session,
        timeout=10,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(settings: Settings, deps: Deps, client: AsyncWebClient | None = None) -> AsyncApp:
    app = AsyncApp(
        client=client or build_client(settings),
        signing_secret=settings.signing_secret or "socket-mode-has-no-signing-secret",
        # Socket Mode requests are not signed; Bolt skips verification for them anyway.
        request_verification_enabled=not settings.socket_mode,
        logger=logging.getLogger("slack_bolt"),
        # The ack leaves the moment a listener acks, without Bolt's 10 ms polling: every
        # listener is wrapped by bot.slack.acking.acks_early, and its post-ack work runs on its own.
        process_before_response=True,
        # What no listener wants reaches handle_error, which answers 200 (never Bolt's 404).
        raise_error_for_unhandled_request=True,
        # Many workspaces: tokens come from the installations in the store, per team.
        oauth_settings=(
            oauth_settings(settings, deps.store.installations, deps.store.retention, deps.clock)
            if settings.multi_workspace
            else None
        ),
    )
    if settings.multi_workspace:
        app.enable_token_revocation_listeners()  # tokens_revoked, app_uninstalled: delete

    app.use(Prepare(deps, app.client))
    app.use(OneWorkspace(single_token=not settings.multi_workspace, language=settings.language))
    app.error(handle_error)
    table = Subcommands()
    subcommands.register(app, table)
    for feature in FEATURES:
        feature.register(app, table)
    return app
