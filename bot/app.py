"""The AsyncApp factory: one app, its Web API client, the listeners and one error handler."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.catalog import t
from bot.config import Settings
from bot.deps import Deps
from bot.guard import refuse_malformed
from bot.oauth import oauth_settings
from bot.respond import SessionRespond
from handlers import (
    admin,
    ask_actions,
    asks,
    commands,
    home,
    insights,
    mentions,
    messages,
    nudges,
    reactions,
    shortcuts,
)

log = logging.getLogger("giveback")


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
        # Many workspaces: tokens come from the installations in the store, per team.
        oauth_settings=(
            oauth_settings(settings, deps.store.installations) if settings.multi_workspace else None
        ),
    )
    if settings.multi_workspace:
        app.enable_token_revocation_listeners()  # tokens_revoked, app_uninstalled: delete

    app.middleware(refuse_malformed)

    @app.middleware
    async def inject_deps(context: AsyncBoltContext, next: Callable[[], Awaitable[None]]) -> None:
        context["deps"] = deps
        if context.response_url and app.client.session is not None:
            context["respond"] = SessionRespond(
                response_url=context.response_url,
                session=app.client.session,
                retry_handlers=app.client.retry_handlers,
            )
        await next()

    app.error(handle_error)
    commands.register(app)
    mentions.register(app)
    home.register(app)
    insights.register(app)
    messages.register(app)
    asks.register(app)
    ask_actions.register(app)
    reactions.register(app)
    shortcuts.register(app)
    nudges.register(app)
    admin.register(app)
    return app


async def handle_error(
    error: Exception,
    body: dict[str, Any],
    context: AsyncBoltContext,
    response: BoltResponse | None,
) -> BoltResponse | None:
    """The one place failures end: logged once, and the person told kindly, never a traceback."""
    log.error("listener failed: %s: %s", type(error).__name__, error, exc_info=error)
    deps: Deps | None = context.get("deps")
    lang = deps.default_language if deps else "en"
    message = t(lang, "error.generic")
    if response is not None and body.get("command"):
        # Not yet acknowledged: answer the slash command directly.
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": message}),
            headers={"content-type": ["application/json;charset=utf-8"]},
        )
    respond = context.get("respond")
    if respond is not None:
        try:
            await respond(response_type="ephemeral", replace_original=False, text=message)
        except Exception:  # the error path must never raise
            log.warning("could not tell the user about the failure")
    return None
