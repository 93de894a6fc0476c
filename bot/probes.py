"""Health probes for load balancers and orchestrators: ``/healthz``, ``/readyz`` (and
``/metrics`` when metrics are on).

``/healthz``: the process is up and serving (no check at all: a restart cures nothing else).
``/readyz``: the database answers, the Slack token is valid (``auth.test``) and, in Socket Mode,
the socket is connected. The checks run at most once every ``every`` seconds, however often
probes come (they share one answer, and one check in flight): a probe can never turn into load
on the database or on Slack's rate limits.

Neither reveals anything but ok / not ok: why the bot is not ready goes to the log, once per
change, for whoever operates it. No signature check: they are routes of their own, beside
Bolt's ``/slack/events``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.metrics import Metrics
from storage import Store

log = logging.getLogger(__name__)
READY_EVERY = 5.0  # seconds one readiness answer is reused
CHECK_TIMEOUT = 3.0  # a check that takes longer fails (a hung database is not a ready one)
NO_STORE = {"Cache-Control": "no-store"}
Check = Callable[[], Awaitable[object]]


class Readiness:
    """Named checks (each raises, or is too slow, when not ready), answered from a recent run."""

    def __init__(
        self,
        checks: Mapping[str, Check],
        *,
        every: float = READY_EVERY,
        timeout: float = CHECK_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._checks = dict(checks)
        self._every, self._timeout, self._clock = every, timeout, clock
        self._checked_at = float("-inf")
        self._ready = False
        self._failing: list[str] = []
        self._running: asyncio.Future[bool] | None = None

    async def ready(self) -> bool:
        if self._clock() - self._checked_at < self._every:
            return self._ready
        if self._running is None:
            self._running = asyncio.ensure_future(self._check_all())
            self._running.add_done_callback(self._finished)
        return await asyncio.shield(self._running)

    def _finished(self, _: object) -> None:
        self._running = None

    async def _check_all(self) -> bool:
        names = list(self._checks)
        results = await asyncio.gather(*(self._check(name) for name in names))
        failing = [
            f"{name} ({reason})" for name, reason in zip(names, results, strict=True) if reason
        ]
        if failing != self._failing:
            if failing:
                log.warning("not ready: %s", "; ".join(failing))
            else:
                log.info("ready")
        self._failing, self._ready = failing, not failing
        self._checked_at = self._clock()
        return self._ready

    async def _check(self, name: str) -> str | None:
        """None when the check passed, else a short reason (for the log only)."""
        try:
            await asyncio.wait_for(self._checks[name](), self._timeout)
        except TimeoutError:
            return f"no answer in {self._timeout:.0f} s"
        except Exception as exc:
            return type(exc).__name__
        return None


def readiness_for(
    store: Store,
    client: AsyncWebClient | None,
    socket: AsyncSocketModeHandler | None = None,
    *,
    every: float = READY_EVERY,
) -> Readiness:
    """The bot's checks: the database; the bot token when there is one (with OAuth each
    workspace has its own, and none is the bot's); the socket in Socket Mode."""
    checks: dict[str, Check] = {"database": store.ping}
    if client is not None and client.token:
        checks["slack token"] = client.auth_test  # raises SlackApiError when Slack refuses it
    if socket is not None:
        checks["socket mode"] = _connected(socket)
    return Readiness(checks, every=every)


def _connected(socket: AsyncSocketModeHandler) -> Check:
    async def check() -> None:
        if not await socket.client.is_connected():
            raise ConnectionError("the Socket Mode connection is down")

    return check


def add_probes(web_app: web.Application, readiness: Readiness, metrics: Metrics | None) -> None:
    """``/healthz`` and ``/readyz`` on ``web_app``; ``/metrics`` too when ``metrics`` is given."""

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok\n", headers=NO_STORE)

    async def readyz(_: web.Request) -> web.Response:
        if await readiness.ready():
            return web.Response(text="ok\n", headers=NO_STORE)
        return web.Response(status=503, text="not ready\n", headers=NO_STORE)

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    if metrics is not None:

        async def scrape(request: web.Request) -> web.Response:
            body, content_type = await metrics.exposition(request.headers.get("Accept"))
            return web.Response(body=body, headers={"Content-Type": content_type, **NO_STORE})

        web_app.router.add_get("/metrics", scrape)
