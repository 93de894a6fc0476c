"""The AsyncApp factory: one app, its Web API client, the listeners and one error handler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.services.deps import Deps
from bot.slack.failures import handle_error
from bot.slack.guard import malformed
from bot.slack.oauth import oauth_settings
from bot.slack.respond import SessionRespond, WebApiFallback
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
        # The ack leaves the moment a listener acks, without Bolt's 10 ms polling: every
        # listener is wrapped by bot.slack.acking.acks_early, and its post-ack work runs on its own.
        process_before_response=True,
        # Many workspaces: tokens come from the installations in the store, per team.
        oauth_settings=(
            oauth_settings(settings, deps.store.installations) if settings.multi_workspace else None
        ),
    )
    if settings.multi_workspace:
        app.enable_token_revocation_listeners()  # tokens_revoked, app_uninstalled: delete

    app.use(Prepare(deps, app.client))
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


class Prepare(AsyncMiddleware):
    """Every request, before routing: refuse a malformed body (400), then give listeners the
    deps and a ``respond`` over the shared connection pool (with the Web API to fall back on
    when the response URL refuses, see bot.slack.respond).

    One class-based middleware: for a function middleware Bolt builds the whole set of
    listener arguments on every request, which cost more than the work itself.
    """

    def __init__(self, deps: Deps, client: AsyncWebClient) -> None:
        self._deps = deps
        self._client = client

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        if malformed(req.body):
            return BoltResponse(status=400, body="bad request")
        context = req.context
        context["deps"] = self._deps
        if context.response_url and self._client.session is not None:
            channel, user = context.channel_id, context.user_id
            context["respond"] = SessionRespond(
                response_url=context.response_url,
                session=self._client.session,
                retry_handlers=self._client.retry_handlers,
                # The request's own client: with OAuth, it holds that workspace's token.
                fallback=WebApiFallback(context.client, channel, user)
                if channel and user and context.client is not None
                else None,
            )
        return await next()
