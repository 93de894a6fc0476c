"""The app's injected clock, moved by hand, and the scheduled work that runs as it moves."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.jobs.sweep import run_sweep
from bot.services.deps import Deps

# A scheduled sweep: the same callable the scheduler runs, given the moment it runs at.
SchedulerHook = Callable[[Deps, AsyncWebClient, datetime], Awaitable[object]]

# What `time +7d` runs at each quarter hour it passes, as `giveback run`'s scheduler does
# (bot/scheduler.py: the nudge sweep every 15 minutes), so the playground runs what production runs.
SCHEDULER_HOOKS: list[SchedulerHook] = [run_sweep]
SCHEDULER_EVERY = timedelta(minutes=15)

_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}
_UNITS |= {"m": timedelta(minutes=1)}
_DURATION = re.compile(r"(\d{1,4})\s*(w|d|h|m)")


class FakeClock:
    """The app's clock (``Deps.clock``), moved by tests and the playground; signatures keep
    using real time, as Slack's do."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def epoch(self) -> float:
        """The same moment in unix seconds (the fake Slack's message timestamps follow it)."""
        return self.now.timestamp()

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def parse_duration(text: str) -> timedelta | None:
    """``+7d``, ``+2h30m``, ``+1w`` → a positive timedelta; None if it is not one."""
    raw = text.strip().removeprefix("+").replace(" ", "").lower()
    if not raw or _DURATION.sub("", raw):
        return None
    total = sum((int(n) * _UNITS[unit] for n, unit in _DURATION.findall(raw)), timedelta())
    return total if timedelta(0) < total <= timedelta(days=3660) else None


def due_times(start: datetime, end: datetime, every: timedelta) -> list[datetime]:
    """The moments in (start, end] a scheduler firing on every ``every`` boundary would run,
    like cron's ``*/15``: 10:00, 10:15, ... whatever minute the clock started at."""
    step = every.total_seconds()
    first = (int(start.timestamp() // step) + 1) * step
    out: list[datetime] = []
    moment = datetime.fromtimestamp(first, start.tzinfo or UTC)
    while moment <= end:
        out.append(moment)
        moment += every
    return out
