"""/metrics (GIVEBACK_METRICS on): the counters move with signed requests and a scheduled sweep,
and no label ever carries a user, channel or team id."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.devtools.fakeslack import FakeSlack
from bot.devtools.simulate import SignedSender
from bot.jobs.scheduler import SWEEP_JOB
from bot.server import EVENTS_PATH, Running, running
from tests.conftest import ALICE, BOB, CAROL, DAVE, SECRET, TEAM, FakeClock, settings_for
from tests.support.nudges import helped

# The only label names a metric may have: none of them can hold an id.
LABELS = {"surface", "outcome", "method", "status", "cache", "result", "le"}
SLACK_ID = re.compile(r"[TUWCDGB][A-Z0-9]{4,}")


@dataclass
class Scraped:
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float]

    def value(self, name: str, **labels: str) -> float:
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def total(self, name: str, **labels: str) -> float:
        """Summed over the labels not given."""
        wanted = set(labels.items())
        return sum(v for (n, ls), v in self.samples.items() if n == name and wanted <= ls)


async def scrape(url: str) -> Scraped:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    return Scraped(samples)


@pytest.fixture
async def live(fake: FakeSlack, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Running]:
    settings = settings_for(fake, tmp_path / "giveback.db", metrics=True)
    async with running(settings, clock=clock, host="127.0.0.1", scheduler=True) as bot:
        yield bot


async def test_counters_move_with_signed_requests_and_a_sweep(
    live: Running, fake: FakeSlack
) -> None:
    store = live.deps.store
    url = f"http://127.0.0.1:{live.port}/metrics"
    # Alice took a lot of help and gave little: the sweep nudges her.
    await helped(store, BOB, ALICE, 3, at=live.deps.clock())
    await helped(store, CAROL, ALICE, 2, at=live.deps.clock())
    await store.asks.create(
        team_id=TEAM,
        asker_id=DAVE,
        text="a review of the deploy script",
        channel_id="C0001",
        asked=[],
        held=False,
        now=live.deps.clock(),
        key="ask:metrics",
    )
    before = await scrape(url)
    assert before.total("giveback_requests_total") == 0
    assert before.value("giveback_open_asks") == 1  # counted at most every few seconds
    fake.fail("users.info", retry_after=0)  # Slack says "slow down" once
    sender = SignedSender(f"http://127.0.0.1:{live.port}{EVENTS_PATH}", SECRET, team_id=TEAM)
    forged = SignedSender(sender.url, "not-the-secret", team_id=TEAM)
    try:
        for n in range(2):
            reply = await sender.command(
                "/thanks",
                f"<@{BOB}> for review {n}",
                user_id=ALICE,
                response_url=fake.response_url(),
            )
            assert reply.status == 200
        assert (await forged.command("/thanks", f"<@{BOB}> hi", user_id=ALICE)).status == 401
    finally:
        await sender.close()
        await forged.close()
    await fake.wait_for("response_url", 2)
    job = live.scheduler.aps.get_job(SWEEP_JOB) if live.scheduler else None
    assert job is not None
    await job.func()  # the scheduled sweep, as APScheduler runs it

    after = await scrape(url)
    assert after.value("giveback_requests_total", surface="command", outcome="ok") == 2
    assert after.value("giveback_requests_total", surface="unknown", outcome="unauthorized") == 1
    assert after.value("giveback_ack_seconds_count", surface="command") == 2
    assert after.value("giveback_store_write_seconds_count") > before.value(
        "giveback_store_write_seconds_count"
    )
    assert after.value("giveback_store_batch_size_count") > 0
    assert after.value("giveback_sweep_seconds_count") == 1
    assert after.value("giveback_sweep_messages_planned_total") >= 1
    assert after.value("giveback_sweep_messages_total", outcome="sent") >= 1
    assert after.value("giveback_slack_api_calls_total", method="users.info", status="429") == 1
    assert after.value("giveback_slack_api_calls_total", method="users.info", status="200") >= 1
    assert after.value("giveback_slack_api_calls_total", method="response_url", status="200") >= 2
    assert (
        after.value("giveback_slack_api_calls_total", method="chat.postMessage", status="200") >= 1
    )
    assert after.total("giveback_cache_lookups_total", result="hit") > 0
    assert after.total("giveback_cache_lookups_total", result="miss") > 0
    assert after.value("process_resident_memory_bytes") > 0

    for name, labels in after.samples:
        assert {label for label, _ in labels} <= LABELS, name
        for _, value in labels:
            assert not SLACK_ID.fullmatch(value), (name, value)
            assert value not in (TEAM, ALICE, BOB, CAROL, DAVE, "C0001"), (name, value)


async def test_metrics_move_to_the_probe_port_when_it_has_one(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path
) -> None:
    """The Slack-facing port need not show them to the internet."""
    settings = settings_for(fake, tmp_path / "giveback.db", metrics=True, health_port=0)
    async with running(settings, clock=clock, host="127.0.0.1") as bot:
        assert (await scrape(f"http://127.0.0.1:{bot.health_port}/metrics")).samples
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{bot.port}/metrics") as response:
                assert response.status == 404
            async with http.get(f"http://127.0.0.1:{bot.port}/readyz") as response:
                assert response.status == 200


async def test_socket_mode_requests_are_counted_too(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path
) -> None:
    settings = settings_for(
        fake,
        tmp_path / "socket.db",
        app_token="xapp-1-test",
        signing_secret=None,
        metrics=True,
        health_port=0,
    )
    async with running(settings, clock=clock) as bot:
        await fake.wait_for_socket()
        await fake.push_envelope(
            {
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": TEAM,
                    "user_id": ALICE,
                    "channel_id": "C0001",
                    "command": "/thanks",
                    "text": f"<@{BOB}|bob> for the socket review",
                    "response_url": fake.response_url(),
                    "trigger_id": "123.456.metrics",
                },
            }
        )
        scraped = await scrape(f"http://127.0.0.1:{bot.health_port}/metrics")
        assert scraped.value("giveback_requests_total", surface="command", outcome="ok") == 1
        assert scraped.value("giveback_ack_seconds_count", surface="command") == 1
