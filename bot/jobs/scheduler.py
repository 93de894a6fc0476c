"""The scheduler: APScheduler in the app's event loop, one sweep every 15 minutes.

Jobs are plain async functions with fixed ids (re-adding replaces them); each takes ``now``
from the injected clock, so the same sweep runs from tests, the CLI and the playground.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk.web.async_client import AsyncWebClient

from bot.jobs.retention import erase_departed
from bot.jobs.sweep import SweepReport, run_sweep
from bot.services.deps import Deps
from bot.slack.oauth import TokenFor

log = logging.getLogger(__name__)
SWEEP_JOB = "giveback-nudge-sweep"
SWEEP_MINUTES = "*/15"
RETENTION_JOB = "giveback-retention"
OnSweep = Callable[[SweepReport, float], None]  # a sweep's report and how long it took (s)


@dataclass
class Scheduler:
    """The app's scheduler and the sweeps it has in flight (to let them finish on shutdown)."""

    aps: AsyncIOScheduler
    in_flight: set[asyncio.Task[None]] = field(default_factory=set)

    def start(self) -> None:
        """Start in the running event loop (the app's)."""
        self.aps.start()
        log.info("scheduler started: nudge sweep every 15 minutes")

    async def stop(self, grace: float) -> None:
        """No new runs; give a running sweep ``grace`` seconds, then cancel it.

        A sweep cancelled mid-send leaves a claim that the next start's sweep resolves
        (after the lease, with a look at the channel's history): nothing twice, nothing lost.
        """
        if not self.aps.running:
            return
        self.aps.pause()
        pending = [t for t in self.in_flight if not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=grace)
        self.aps.shutdown(wait=False)
        log.info("scheduler stopped")


def build_scheduler(
    deps: Deps,
    client: AsyncWebClient,
    *,
    on_sweep: OnSweep | None = None,
    token_for: TokenFor | None = None,
) -> Scheduler:
    """``on_sweep``: told about each sweep when it ends (the metrics, when they are on);
    ``token_for``: each workspace's bot token, with OAuth (see bot.jobs.sweep.run_sweep)."""
    scheduler = Scheduler(AsyncIOScheduler(timezone="UTC"))

    async def sweep() -> None:
        task = asyncio.current_task()
        if task is not None:
            scheduler.in_flight.add(task)
            task.add_done_callback(scheduler.in_flight.discard)
        started = time.perf_counter()
        report = await run_sweep(deps, client, deps.clock(), token_for=token_for)
        if on_sweep is not None:
            on_sweep(report, time.perf_counter() - started)
        log.debug("sweep done: %d message(s) sent", len(report.sent()))

    scheduler.aps.add_job(
        sweep,
        CronTrigger(minute=SWEEP_MINUTES, timezone="UTC"),
        id=SWEEP_JOB,
        name="nudge sweep",
        replace_existing=True,
        max_instances=1,  # a slow sweep (rate limits) is never overlapped by the next one
        coalesce=True,  # after a pause, run once rather than once per missed slot
        misfire_grace_time=5 * 60,
    )

    async def retention() -> None:
        await erase_departed(deps, deps.clock())

    # Daily, at a quiet hour: uninstalled workspaces past their retention period are erased.
    scheduler.aps.add_job(
        retention,
        CronTrigger(hour=3, minute=7, timezone="UTC"),
        id=RETENTION_JOB,
        name="retention",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=6 * 60 * 60,
    )
    return scheduler
