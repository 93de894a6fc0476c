"""What the transport wraps around each Slack request: a request id for every log line about
it (bot.logformat), and, when metrics are on, its count and ack latency (bot.metrics).

One wrapper per transport, outermost, so what Bolt refuses before any middleware runs (a bad
signature: 401) is counted too: an aiohttp middleware in HTTP mode, the Socket Mode handler's
``handle`` in Socket Mode. The surface and workspace are filled in by the request middleware
(bot.slack.middleware) once Bolt has parsed the body; a request refused before that keeps
"unknown".
"""

from __future__ import annotations

import time

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import (
    run_async_bolt_app,
    send_async_response,
)
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.logformat import RequestInfo, request_scope
from bot.metrics import Metrics

SLACK_PATHS = "/slack/"  # Bolt's routes: /slack/events, and /slack/install and the redirect


def observe_requests(metrics: Metrics | None) -> Middleware:
    """The aiohttp middleware for HTTP mode (probes and /metrics pass through untouched)."""

    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(SLACK_PATHS):
            return await handler(request)
        started = time.perf_counter()
        status = 500
        with request_scope() as info:
            try:
                response = await handler(request)
                status = response.status
                return response
            except web.HTTPException as exc:
                status = exc.status
                raise
            finally:
                if metrics is not None:
                    fallback = "oauth" if request.method == "GET" else "unknown"
                    metrics.request(_surface(info, fallback), status, _since(started))

    return observe


class ObservedSocketModeHandler(AsyncSocketModeHandler):
    """Bolt's Socket Mode handler, each envelope in a request scope, timed to its ack."""

    def __init__(self, app: AsyncApp, app_token: str | None, metrics: Metrics | None) -> None:
        super().__init__(app, app_token)
        self._metrics = metrics

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        started = time.perf_counter()
        status = 500
        with request_scope() as info:
            try:
                response = await run_async_bolt_app(self.app, req)
                status = response.status
                await send_async_response(client, req, response, time.time())
            finally:
                if self._metrics is not None:
                    self._metrics.request(_surface(info, "unknown"), status, _since(started))


def _surface(info: RequestInfo, fallback: str) -> str:
    return info.surface or fallback


def _since(started: float) -> float:
    return time.perf_counter() - started
