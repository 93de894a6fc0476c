"""The asks area of the store, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.favours import HELD, OPEN, RESOLVED, WITHDRAWN
from storage import Store
from storage.ask_messages import AskMessage

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
T = "T1"


async def make(store: Store, asker: str = "UA", key: str = "k1", **kw: object):
    values: dict = {
        "team_id": T,
        "asker_id": asker,
        "text": "review my PR",
        "channel_id": "C1",
        "asked": ["UB"],
        "held": False,
        "now": NOW,
        "key": key,
    }
    values.update(kw)
    return await store.asks.create(**values)


async def test_create_is_idempotent_per_delivery(store: Store) -> None:
    first, new = await make(store)
    again, new_again = await make(store, text="something else")
    assert new and not new_again
    assert again == first
    assert (first.status, first.asked, first.text) == (OPEN, ("UB",), "review my PR")
    assert await store.schema_version() >= 3


async def test_held_ask_is_published_once_and_hidden_until_then(store: Store) -> None:
    ask, _ = await make(store, held=True)
    assert ask.status == HELD
    assert await store.asks.open_asks(T) == []
    assert await store.asks.open_counts(T, ["UB"]) == {"UB": 0}
    later = NOW + timedelta(minutes=5)
    assert await store.asks.publish(team_id=T, ask_id=ask.id, now=later)
    assert not await store.asks.publish(team_id=T, ask_id=ask.id, now=later)
    [posted] = await store.asks.open_asks(T)
    assert posted.status == OPEN and posted.created_at == later


async def test_offers_count_once_and_not_on_closed_asks(store: Store) -> None:
    ask, _ = await make(store)
    assert await store.asks.offer(team_id=T, ask_id=ask.id, user_id="UC", now=NOW)
    assert not await store.asks.offer(team_id=T, ask_id=ask.id, user_id="UC", now=NOW)
    assert await store.asks.offer(team_id=T, ask_id=ask.id, user_id="UD", now=NOW)
    assert not await store.asks.offer(team_id=T, ask_id=999, user_id="UD", now=NOW)
    assert await store.asks.withdraw(team_id=T, ask_id=ask.id, now=NOW)
    assert not await store.asks.offer(team_id=T, ask_id=ask.id, user_id="UE", now=NOW)
    fresh = await store.asks.get(team_id=T, ask_id=ask.id)
    assert fresh is not None and fresh.offers == ("UC", "UD") and fresh.status == WITHDRAWN


async def test_resolve_records_help_once_with_the_daily_cap(store: Store) -> None:
    asks = [(await make(store, key=f"k{i}"))[0] for i in range(5)]
    for ask in asks[:4]:
        assert await store.asks.resolve(ask=ask, helpers=["UB"], note="n", now=NOW, daily_cap=3)
    assert not await store.asks.resolve(ask=asks[0], helpers=["UC"], note="n", now=NOW)
    events = [e async for e in store.events.export(team_id=T)]
    assert [(e.giver_id, e.receiver_id, e.source, e.counted) for e in events] == [
        ("UB", "UA", "ask", True),
        ("UB", "UA", "ask", True),
        ("UB", "UA", "ask", True),
        ("UB", "UA", "ask", False),  # the 4th the same day: kept, not counted
    ]
    resolved = await store.asks.get(team_id=T, ask_id=asks[0].id)
    assert resolved is not None and resolved.status == RESOLVED and resolved.helpers == ("UB",)
    assert [a.id for a in await store.asks.open_asks(T)] == [asks[4].id]


async def test_open_asks_oldest_first_excluding_and_limited(store: Store) -> None:
    await make(store, "UA", "k1", now=NOW)
    await make(store, "UB", "k2", now=NOW - timedelta(days=2))
    await make(store, "UC", "k3", now=NOW - timedelta(days=1))
    assert [a.asker_id for a in await store.asks.open_asks(T)] == ["UB", "UC", "UA"]
    assert [a.asker_id for a in await store.asks.open_asks(T, exclude_user="UC")] == ["UB", "UA"]
    assert [a.asker_id for a in await store.asks.open_asks(T, limit=1)] == ["UB"]
    assert await store.asks.open_asks("OTHER") == []
    assert await store.asks.count_open(T) == 3


async def test_open_counts_per_person(store: Store) -> None:
    a1, _ = await make(store, key="k1", asked=["UB", "UC"])
    await make(store, key="k2", asked=["UB"])
    a3, _ = await make(store, key="k3", asked=["UB"])
    await store.asks.withdraw(team_id=T, ask_id=a3.id, now=NOW)
    assert await store.asks.open_counts(T, ["UB", "UC", "UD"]) == {"UB": 2, "UC": 1, "UD": 0}
    assert await store.asks.open_counts(T, ["UB"], exclude_ask=a1.id) == {"UB": 1}


async def test_messages_are_remembered_per_ask(store: Store) -> None:
    ask, _ = await make(store)
    await store.ask_messages.add(T, AskMessage(ask.id, "C1", "1.1", "channel", "en"))
    await store.ask_messages.add(T, AskMessage(ask.id, "D1", "1.2", "dm", "ja"))
    await store.ask_messages.add(T, AskMessage(ask.id, "D1", "1.2", "dm", "ja"))
    assert [m.kind for m in await store.ask_messages.of(team_id=T, ask_id=ask.id)] == [
        "channel",
        "dm",
    ]
