"""The bot's lifespan: open the store, build the app, serve (HTTP or Socket Mode), shut down."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from aiohttp.typedefs import Handler
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.app import build_app, build_client
from bot.config import Settings
from bot.deps import Deps
from bot.directory import Directory
from bot.models import Clock, utc_now
from storage.sqlite import SqliteStore

log = logging.getLogger("giveback")
EVENTS_PATH = "/slack/events"
SHUTDOWN_GRACE = 10.0


@dataclass
class Running:
    app: AsyncApp
    deps: Deps
    port: int | None  # the bound HTTP port; None in Socket Mode


@contextlib.asynccontextmanager
async def running(
    settings: Settings, *, clock: Clock = utc_now, host: str = "0.0.0.0"
) -> AsyncIterator[Running]:
    """Everything the bot owns, opened in order and closed in reverse."""
    store = await SqliteStore.open(settings.database)
    deps = Deps(
        store=store,
        clock=clock,
        directory=Directory(store, clock),
        default_language=settings.language,
    )
    session = aiohttp.ClientSession()  # one connection pool for the Web API and response URLs
    app = build_app(settings, deps, build_client(settings, session))
    try:
        if settings.socket_mode:
            handler = AsyncSocketModeHandler(app, settings.app_token)
            await handler.connect_async()
            log.info("connected to Slack in Socket Mode")
            try:
                yield Running(app, deps, None)
            finally:
                await handler.close_async()
        else:
            # No access log: a line per request costs ~5% of throughput; listeners log what matters.
            web_app = app.web_app(path=EVENTS_PATH)
            web_app.middlewares.append(refuse_unparsable)
            runner = web.AppRunner(web_app, shutdown_timeout=SHUTDOWN_GRACE, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, host, settings.port)
            await site.start()
            port = runner.addresses[0][1]
            log.info("listening for Slack on http://%s:%d%s", host, port, EVENTS_PATH)
            try:
                yield Running(app, deps, port)
            finally:
                await runner.cleanup()
        await _finish_in_flight()
    finally:
        await session.close()
        await store.close()
        log.info("stopped cleanly")


@web.middleware
async def refuse_unparsable(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A body Bolt cannot parse (say, broken JSON) is the sender's fault: 400, not a 500."""
    try:
        return await handler(request)
    except (ValueError, UnicodeDecodeError) as exc:
        log.warning("refused an unparsable request body: %s", type(exc).__name__)
        return web.Response(status=400, text="bad request")


async def serve(settings: Settings) -> None:
    """Run until SIGTERM or Ctrl-C, then stop cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with running(settings):
        await stop.wait()
        log.info("shutting down")


async def _finish_in_flight() -> None:
    """Bolt finishes listeners in background tasks after the ack: let them complete."""
    current = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    pending = [t for t in pending if not _infrastructure(t)]
    if pending:
        await asyncio.wait(pending, timeout=SHUTDOWN_GRACE)


def _infrastructure(task: asyncio.Task[object]) -> bool:
    """The store's writer, and aiohttp connection handlers (keep-alive connections of servers
    sharing the loop, like the fake Slack in tests), are not listener work to wait for."""
    qualname = getattr(task.get_coro(), "__qualname__", "")
    return task.get_name().startswith("giveback-store-") or qualname.startswith("RequestHandler.")
