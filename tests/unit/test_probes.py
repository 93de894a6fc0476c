"""Readiness: checks run at most once per interval, probes share one run, and why the bot is
not ready is logged once per change, never answered."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.probes import Readiness


class Checks:
    def __init__(self) -> None:
        self.runs = 0
        self.broken = False
        self.gate = asyncio.Event()
        self.gate.set()

    async def database(self) -> None:
        self.runs += 1
        await self.gate.wait()
        if self.broken:
            raise ConnectionError("refused")


async def test_answers_are_reused_for_the_interval() -> None:
    now = [0.0]
    checks = Checks()
    readiness = Readiness({"database": checks.database}, every=5, clock=lambda: now[0])
    assert await readiness.ready()
    checks.broken = True
    now[0] = 4.9
    assert await readiness.ready()  # the answer of 4.9 s ago
    assert checks.runs == 1
    now[0] = 5.0
    assert not await readiness.ready()
    assert checks.runs == 2


async def test_probes_arriving_together_share_one_run() -> None:
    checks = Checks()
    checks.gate.clear()
    readiness = Readiness({"database": checks.database}, every=0)
    probes = [asyncio.ensure_future(readiness.ready()) for _ in range(5)]
    await asyncio.sleep(0)
    checks.gate.set()
    assert await asyncio.gather(*probes) == [True] * 5
    assert checks.runs == 1


async def test_a_slow_check_fails_and_changes_are_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    checks = Checks()
    readiness = Readiness({"database": checks.database}, every=0, timeout=0.01)
    caplog.set_level(logging.INFO, logger="bot.probes")
    checks.gate.clear()  # hangs
    assert not await readiness.ready()
    assert not await readiness.ready()
    checks.gate.set()
    assert await readiness.ready()
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["not ready: database (no answer in 0 s)", "ready"]
