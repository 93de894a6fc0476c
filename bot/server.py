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
from bot.domain.records import Clock, utc_now
from bot.jobs.scheduler import Scheduler, build_scheduler
from bot.services.deps import Deps, build_deps
from bot.slack.gate import signed_only
from storage import open_store

log = logging.getLogger("giveback")
EVENTS_PATH = "/slack/events"
SHUTDOWN_GRACE = 10.0


@dataclass
class Running:
    app: AsyncApp
    deps: Deps
    port: int | None  # the bound HTTP port; None in Socket Mode
    scheduler: Scheduler | None = None


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    host: str = "0.0.0.0",
    scheduler: bool = False,
) -> AsyncIterator[Running]:
    """Everything the bot owns, opened in order and closed in reverse.

    ``scheduler``: run the nudge sweep every 15 minutes (``giveback run`` does; tests call
    the sweep themselves with their own clock).
    """
    store = await open_store(settings.database)
    deps = build_deps(store, clock, default_language=settings.language)
    session = aiohttp.ClientSession()  # one connection pool for the Web API and response URLs
    app = build_app(settings, deps, build_client(settings, session))
    jobs = build_scheduler(deps, app.client) if scheduler else None
    try:
        if settings.socket_mode:
            handler = AsyncSocketModeHandler(app, settings.app_token)
            await handler.connect_async()
            log.info("connected to Slack in Socket Mode")
            try:
                async with _scheduled(jobs):
                    yield Running(app, deps, None, jobs)
            finally:
                await handler.close_async()
        else:
            # No access log: a line per request costs ~5% of throughput; listeners log what matters.
            web_app = app.web_app(path=EVENTS_PATH)
            web_app.middlewares.append(refuse_unparsable)
            web_app.middlewares.append(signed_only(settings.signing_secret or "", EVENTS_PATH))
            runner = web.AppRunner(web_app, shutdown_timeout=SHUTDOWN_GRACE, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, host, settings.port)
            await site.start()
            port = runner.addresses[0][1]
            log.info("listening for Slack on http://%s:%d%s", host, port, EVENTS_PATH)
            try:
                async with _scheduled(jobs):
                    yield Running(app, deps, port, jobs)
            finally:
                await runner.cleanup()
        await _finish_in_flight()
    finally:
        await session.close()
        await store.close()
        log.info("stopped cleanly")


@web.middleware
async def refuse_unparsable(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A body Bolt cannot parse (broken JSON, JSON that is not an object) is the sender's
    fault: 400, not a 500. Listener errors never get here (Bolt hands them to handle_error).
    Only signed requests get this far (bot.slack.gate runs first); the line names the error's
    kind, never the body's contents."""
    try:
        return await handler(request)
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError) as exc:
        log.warning("refused an unparsable request body: %s", type(exc).__name__)
        return web.Response(status=400, text="bad request")


def event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it installs (not Windows): the bot's requests and Slack calls are small and
    many, and its socket handling costs far less per request than asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def serve(settings: Settings) -> None:
    """Run until SIGTERM or Ctrl-C, then stop cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with running(settings, scheduler=True):
        await stop.wait()
        log.info("shutting down")


@contextlib.asynccontextmanager
async def _scheduled(jobs: Scheduler | None) -> AsyncIterator[None]:
    """The scheduler runs while the transport is up: started after it, stopped before it."""
    if jobs is None:
        yield
        return
    jobs.start()
    try:
        yield
    finally:
        await jobs.stop(SHUTDOWN_GRACE)


async def _finish_in_flight() -> None:
    """Let listener work still running after its ack finish (announcements, replies).

    That is every task the bot names ``giveback-...`` (listeners, see bot.slack.acking), but not
    the store's writer, which is closed after. Other tasks on the loop (client keep-alive
    connections, servers sharing the loop like the fake Slack) are not waited for.
    """
    current = asyncio.current_task()
    pending = [
        t for t in asyncio.all_tasks() if t is not current and not t.done() and _listener_work(t)
    ]
    if pending:
        await asyncio.wait(pending, timeout=SHUTDOWN_GRACE)


def _listener_work(task: asyncio.Task[object]) -> bool:
    name = task.get_name()
    return name.startswith("giveback-") and not name.startswith("giveback-store-")
