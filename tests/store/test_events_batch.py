"""HelpEventStore.record on real SQLite: whole batches keep idempotency and the daily cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.records import HelpEvent
from storage import Store

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def event(key: str, giver: str = "UBOB", receiver: str = "UALICE", **kw: object) -> HelpEvent:
    values: dict[str, object] = {
        "team_id": "T1",
        "giver_id": giver,
        "receiver_id": receiver,
        "note": "",
        "source": "command",
        "channel_id": "C1",
        "created_at": NOON,
        "key": key,
    }
    values.update(kw)
    return HelpEvent(**values)  # type: ignore[arg-type]


async def test_a_key_seen_before_or_twice_in_one_batch_is_not_new(store: Store) -> None:
    assert await store.events.record([event("a")]) == [True]
    assert await store.events.record([event("a"), event("b"), event("b")]) == [False, True, False]
    assert [e.key async for e in store.events.export()] == ["a", "b"]


async def test_redeliveries_are_recognised_in_a_large_batch_too(store: Store) -> None:
    first = [event(f"k{i}", giver=f"U{i}") for i in range(10)]
    assert await store.events.record(first[:4]) == [True] * 4
    assert await store.events.record([*first, first[9]]) == [False] * 4 + [True] * 6 + [False]
    assert len([e async for e in store.events.export()]) == 10


async def test_the_same_key_in_another_workspace_is_a_different_event(store: Store) -> None:
    assert await store.events.record([event("a"), event("a", team_id="T2")]) == [True, True]


async def test_the_daily_cap_holds_inside_one_batch_and_resets_the_next_day(
    store: Store,
) -> None:
    today = [event(f"k{i}", created_at=NOON + timedelta(minutes=i)) for i in range(5)]
    tomorrow = event("next", created_at=NOON + timedelta(days=1))
    other_pair = event("other", giver="UCAROL")
    assert await store.events.record([*today, tomorrow, other_pair], daily_cap=3) == [True] * 7
    counted = {e.key: e.counted async for e in store.events.export()}
    assert counted == {
        "k0": True,
        "k1": True,
        "k2": True,
        "k3": False,
        "k4": False,
        "next": True,
        "other": True,
    }


async def test_an_empty_batch_writes_nothing(store: Store) -> None:
    assert await store.events.record([]) == []
