"""One nudge-planning sweep in a fresh process: its time and its peak memory.

``plan_sweep(url)`` runs ``python -m bench.sweep_plan URL`` as a child doing only what
``giveback nudge --dry-run`` does (bot.jobs.sweep.dry_run: plan every person's nudge, the ask
reminders and the weekly digest from the store, send nothing), and reads the child's peak RSS
from ``os.wait4`` — that child's own figure, not the largest of all children so far. The child
also counts and times each store call, to show where a slow sweep spends its time.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from typing import Any

from bench.people import SWEEP_AT
from bot.jobs.sweep import dry_run
from bot.services.deps import build_deps
from storage import open_store
from storage.store import Store


def plan_sweep(url: str, *, timeout: float, at: datetime = SWEEP_AT) -> dict[str, Any]:
    """Seconds, peak RSS (MB) and what was planned, for one dry-run sweep of ``url``.

    A sweep still running after ``timeout`` seconds is stopped: ``seconds`` is then None and
    ``timed_out`` True (the benchmark stays bounded; the row says "over the timeout").
    """
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.sweep_plan", url, at.isoformat()], stdout=subprocess.PIPE
    )
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    try:
        assert child.stdout is not None
        with child.stdout:
            output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    if child.returncode == -signal.SIGKILL:
        elapsed = time.perf_counter() - started
        return {"seconds": None, "timed_out": True, "after_s": elapsed, "peak_rss_mb": peak}
    if child.returncode != 0:
        raise RuntimeError(f"sweep child exited with {child.returncode}")
    return json.loads(output) | {"timed_out": False, "peak_rss_mb": peak}


AREAS = ("events", "profiles", "preferences", "insights", "asks", "nudges", "activity")


def _instrument(store: Store) -> dict[str, list[float]]:
    """Count and time every store call the sweep makes (about 1 µs each: noise beside SQL)."""
    calls: dict[str, list[float]] = {}
    for area_name in AREAS:
        area = getattr(store, area_name)
        for name in dir(area):
            method = getattr(area, name)
            if name.startswith("_") or not inspect.iscoroutinefunction(method):
                continue
            figures = calls.setdefault(f"{area_name}.{name}", [0, 0.0])

            async def timed(
                *args: Any, _method: Any = method, _figures: list[float] = figures, **kwargs: Any
            ) -> Any:
                started = time.perf_counter()
                try:
                    return await _method(*args, **kwargs)
                finally:
                    _figures[0] += 1
                    _figures[1] += time.perf_counter() - started

            setattr(area, name, timed)
    return calls


async def _sweep(url: str, at: datetime) -> dict[str, Any]:
    store = await open_store(url, migrate=False)
    calls = _instrument(store)
    try:
        deps = build_deps(store, lambda: at)
        started = time.perf_counter()
        report = await dry_run(deps, at)
        seconds = time.perf_counter() - started
    finally:
        await store.close()
    plans = report.plans
    return {
        "seconds": seconds,
        "people": sum(len(p.decisions) for p in plans),
        "messages": sum(len(p.messages) for p in plans),
        "digests": sum(1 for p in plans for m in p.messages if m.key.kind == "digest"),
        "store_calls": {name: figures for name, figures in calls.items() if figures[0]},
    }


def main(argv: list[str]) -> int:
    url, at = argv[0], datetime.fromisoformat(argv[1])
    print(json.dumps(asyncio.run(_sweep(url, at))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
