"""The one global middleware: what every request gets before Bolt routes it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncBoltRequest
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.logformat import current_request
from bot.services.deps import Deps
from bot.slack.guard import malformed
from bot.slack.respond import SessionRespond, WebApiFallback


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
        if (info := current_request()) is not None:  # the transport's (bot.observe), for logs
            info.surface, info.team = surface_of(req.body), req.context.team_id
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


# Payload "type" -> the surface it came from; the values are the metrics' labels (a fixed set).
SURFACES = {
    "event_callback": "event",
    "block_actions": "action",
    "interactive_message": "action",
    "view_submission": "view",
    "view_closed": "view",
    "shortcut": "shortcut",
    "message_action": "shortcut",
    "block_suggestion": "options",
    "dialog_suggestion": "options",
}


def surface_of(body: dict[str, Any]) -> str:
    """Which Slack surface a request came from: command, event, action, view, shortcut,
    options, or other."""
    if body.get("command"):
        return "command"
    kind = body.get("type")
    return SURFACES.get(kind, "other") if isinstance(kind, str) else "other"
