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
from slack_bolt.async_app import AsyncApp

from bot.app import build_app, build_client
from bot.config import Settings
from bot.domain.records import Clock, utc_now
from bot.jobs.scheduler import Scheduler, build_scheduler
from bot.metrics import Metrics
from bot.observe import ObservedSocketModeHandler, observe_requests
from bot.probes import READY_EVERY, Readiness, add_probes, readiness_for
from bot.services.deps import Deps, build_deps
from bot.slack.gate import signed_only
from bot.slack.oauth import team_tokens
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
    health_port: int | None = None  # the probes' own port (GIVEBACK_HEALTH_PORT), when set


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    host: str = "0.0.0.0",
    scheduler: bool = False,
    ready_every: float = READY_EVERY,
) -> AsyncIterator[Running]:
    """Everything the bot owns, opened in order and closed in reverse.

    ``scheduler``: run the nudge sweep every 15 minutes (``giveback run`` does; tests call
    the sweep themselves with their own clock). ``ready_every``: how long one readiness
    answer is reused (bot.probes).
    """
    store = await open_store(settings.database)
    deps = build_deps(store, clock, default_language=settings.language)
    metrics = Metrics(store, settings.slack_api_url) if settings.metrics else None
    if metrics is not None:
        store.observe(metrics.store_observer())
    # One connection pool for the Web API and response URLs (each call counted, with metrics).
    session = aiohttp.ClientSession(trace_configs=metrics.slack_calls() if metrics else None)
    app = build_app(settings, deps, build_client(settings, session))
    on_sweep = metrics.sweep if metrics else None
    # With OAuth the app's client has no token: each workspace's sweep uses its installation's.
    installations = app.installation_store if settings.multi_workspace else None
    token_for = team_tokens(installations) if installations is not None else None
    jobs = (
        build_scheduler(deps, app.client, on_sweep=on_sweep, token_for=token_for)
        if scheduler
        else None
    )
    socket = None
    if settings.socket_mode:
        socket = ObservedSocketModeHandler(app, settings.app_token, metrics)
    # With OAuth there is no bot token of its own to check: each workspace has its own.
    token_client = None if settings.multi_workspace else app.client
    readiness = readiness_for(store, token_client, socket, every=ready_every)
    try:
        async with _transport(settings, app, socket, readiness, metrics, host) as ports:
            async with _scheduled(jobs):
                yield Running(app, deps, ports[0], jobs, ports[1])
        await _finish_in_flight()
    finally:
        await session.close()
        await store.close()
        log.info("stopped cleanly")


@contextlib.asynccontextmanager
async def _transport(
    settings: Settings,
    app: AsyncApp,
    socket: ObservedSocketModeHandler | None,
    readiness: Readiness,
    metrics: Metrics | None,
    host: str,
) -> AsyncIterator[tuple[int | None, int | None]]:
    """Socket Mode or HTTP, then the probes' own port when set; yield both bound ports (None
    for what does not run); close them in reverse."""
    async with contextlib.AsyncExitStack() as opened:
        port = health_port = None
        if socket is not None:
            await socket.connect_async()
            opened.push_async_callback(socket.close_async)
            log.info("connected to Slack in Socket Mode")
        else:
            # /metrics stays off the Slack-facing port when the probes have one of their own.
            shown = None if settings.health_port is not None else metrics
            web_app = http_app(app, readiness, shown, settings.signing_secret or "")
            port = await opened.enter_async_context(_serving(web_app, host, settings.port))
            log.info("listening for Slack on http://%s:%d%s", host, port, EVENTS_PATH)
        if settings.health_port is not None:
            probes = web.Application()
            add_probes(probes, readiness, metrics)
            health_port = await opened.enter_async_context(
                _serving(probes, host, settings.health_port)
            )
            log.info("probes on http://%s:%d/healthz and /readyz", host, health_port)
        yield port, health_port


def http_app(
    app: AsyncApp, readiness: Readiness, metrics: Metrics | None, signing_secret: str
) -> web.Application:
    """Bolt's aiohttp app for HTTP mode, observed (request ids, metrics), with the probes;
    requests to it without Slack's signature are turned away before Bolt (bot.slack.gate)."""
    web_app = app.web_app(path=EVENTS_PATH)
    web_app.middlewares.insert(0, observe_requests(metrics))
    web_app.middlewares.append(refuse_unparsable)
    web_app.middlewares.append(signed_only(signing_secret, EVENTS_PATH))
    add_probes(web_app, readiness, metrics)
    return web_app


@contextlib.asynccontextmanager
async def _serving(web_app: web.Application, host: str, port: int) -> AsyncIterator[int]:
    """Serve ``web_app`` on ``host:port``; yield the port bound (``port`` 0: any free one)."""
    # No access log: a line per request costs ~5% of throughput; listeners log what matters.
    runner = web.AppRunner(web_app, shutdown_timeout=SHUTDOWN_GRACE, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


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
