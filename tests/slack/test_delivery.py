"""Delivering many at once through the fake Slack's rate limits: each nudge once, in order,
a busy channel never holding up DMs, and no herd of retries.

The fake's limits run on the wall clock here (Retry-After is whole seconds), so these tests
wait a second or two for real; they assert on counts and order, never on durations.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_client
from bot.devtools.fakeslack import FakeSlack
from bot.domain.nudges import DIGEST, GIVEBACK, NudgeKey
from bot.slack.delivery import Outgoing, deliver_all
from bot.slack.pacing import Gate
from storage import Store
from tests.conftest import TEAM, settings_for

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
BUSY = "CBUSY"


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await Store.open(tmp_path / "pacing.db")
    yield store
    await store.close()


def dm(user: str) -> Outgoing:
    return Outgoing(NudgeKey(TEAM, user, GIVEBACK, "2026-11-23"), f"hi {user}", [])


def post(channel: str, n: int) -> Outgoing:
    return Outgoing(NudgeKey(TEAM, channel, DIGEST, f"w{n}"), f"{channel} #{n}", [], channel)


def key_of(call: object) -> str:
    return call.args["metadata"]["event_payload"]["key"]  # type: ignore[attr-defined]


async def test_a_busy_channel_is_paced_without_holding_up_dms(
    fake: FakeSlack, sqlite_store: Store, tmp_path: Path
) -> None:
    fake.limit_channel_rate(per_second=1, burst=1)
    users = [f"U{i:03d}" for i in range(40)]
    for user in users:
        fake.add_user(user, user.lower())
    channel_posts = [post(BUSY, n) for n in range(3)]
    messages = channel_posts + [dm(u) for u in users]  # the sweep puts channel posts last
    client = build_client(settings_for(fake, tmp_path / "unused.db"))

    outcomes = await deliver_all(
        client,
        sqlite_store.nudges,
        messages,
        now=NOW,
        concurrency=4,
        dm_channels=sqlite_store.dm_channels,
    )

    assert set(outcomes.values()) == {"sent"}
    assert [m["text"] for m in fake.messages[BUSY]] == [f"{BUSY} #{n}" for n in range(3)]
    assert all(len(fake.messages[fake.dm_channel(u)]) == 1 for u in users)
    posts = fake.calls_to("chat.postMessage")
    landed = [key_of(c) for c in posts if not c.failed]
    assert sorted(landed) == sorted(m.key.text for m in messages)  # each exactly once
    # Every DM went out while the channel waited for its second post: no global sleep.
    second_post = landed.index(channel_posts[1].key.text)
    assert landed[second_post - len(users) : second_post] == [m.key.text for m in messages[3:]]
    # One 429 at most per post beyond the burst: the lane waits its Retry-After, no herd.
    limited = [c for c in posts if c.failed]
    assert {c.args["channel"] for c in limited} == {BUSY} and len(limited) <= 2
    for out in messages:
        record = await sqlite_store.nudges.get(out.key)
        assert record is not None and record.status == "sent"


async def test_a_workspace_wide_limit_on_conversations_open_holds_back_every_dm(
    fake: FakeSlack, sqlite_store: Store, tmp_path: Path
) -> None:
    fake.limit_method_rate("conversations.open", per_second=10, burst=10)
    users = [f"U{i:03d}" for i in range(25)]
    for user in users:
        fake.add_user(user, user.lower())
    client = build_client(settings_for(fake, tmp_path / "unused.db"))

    outcomes = await deliver_all(
        client,
        sqlite_store.nudges,
        [dm(u) for u in users],
        now=NOW,
        concurrency=8,
        dm_channels=sqlite_store.dm_channels,
    )

    assert set(outcomes.values()) == {"sent"}
    assert all(len(fake.messages[fake.dm_channel(u)]) == 1 for u in users)
    opens = fake.calls_to("conversations.open")
    assert len([c for c in opens if not c.failed]) == len(users)
    # After the first 429 the others wait for the method instead of each trying and failing:
    # per Retry-After, at most the deliveries already in flight (8) hit the limit.
    assert len([c for c in opens if c.failed]) <= 2 * 8


async def test_rate_limits_the_pacer_will_not_wait_for_are_left_to_the_next_sweep(
    fake: FakeSlack, sqlite_store: Store, tmp_path: Path
) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=3600)
    client = build_client(settings_for(fake, tmp_path / "unused.db"))
    late, other = post(BUSY, 1), post("COTHER", 1)

    outcomes = await deliver_all(
        client,
        sqlite_store.nudges,
        [late, other],
        now=NOW,
        concurrency=2,
        dm_channels=sqlite_store.dm_channels,
    )

    assert sorted(outcomes.values()) == ["failed", "sent"]
    failed = next(k for k, v in outcomes.items() if v == "failed")
    record = await sqlite_store.nudges.get(failed)
    assert record is not None and record.status == "pending"  # released: the next sweep sends it
    assert sum(len(v) for v in fake.messages.values()) == 1


async def test_the_gate_lets_returning_holders_in_before_new_ones() -> None:
    gate = Gate(1)
    await gate.acquire()
    order: list[str] = []

    async def take(name: str, returning: bool) -> None:
        await gate.acquire(returning=returning)
        order.append(name)
        gate.release()

    new = asyncio.create_task(take("new", False))
    await asyncio.sleep(0)
    back = asyncio.create_task(take("back", True))
    await asyncio.sleep(0)
    gate.release()
    await asyncio.gather(new, back)
    assert order == ["back", "new"]


async def test_a_cancelled_waiter_does_not_swallow_a_slot() -> None:
    gate = Gate(1)
    await gate.acquire()
    waiter = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.sleep(0)
    gate.release()
    await asyncio.wait_for(gate.acquire(), 1)  # the slot came back, not lost to the cancelled
