"""The bot's lifespan: open the store, build the app, serve (HTTP or Socket Mode), shut down."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.app import build_app, build_client
from bot.config import Settings
from bot.deps import Deps
from bot.directory import Directory
from bot.models import Clock, utc_now
from bot.scheduler import Scheduler, build_scheduler
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
    deps = Deps(
        store=store,
        clock=clock,
        directory=Directory(store, clock),
        default_language=settings.language,
    )
    app = build_app(settings, deps, build_client(settings))
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
            runner = web.AppRunner(app.web_app(path=EVENTS_PATH), shutdown_timeout=SHUTDOWN_GRACE)
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
        await store.close()
        log.info("stopped cleanly")


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
    """Bolt finishes listeners in background tasks after the ack: let them complete."""
    current = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    pending = [t for t in pending if not t.get_name().startswith("giveback-store-")]
    if pending:
        await asyncio.wait(pending, timeout=SHUTDOWN_GRACE)
