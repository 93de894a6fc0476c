"""Insight aggregates and forgetting, on a real SQLite file."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from bot.domain.network import rank_breadth
from bot.domain.records import HelpEvent, UserProfile
from bot.domain.settings import UserPreferences
from storage import Store
from tests.support.events import help_events

TEAM, OTHER_TEAM = "T0001", "T0002"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
_keys = itertools.count()


async def helped(
    store: Store,
    giver: str,
    receiver: str,
    *,
    days_ago: float = 0,
    team: str = TEAM,
    note: str = "the review",
    n: int = 1,
) -> None:
    events = help_events(
        giver,
        receiver,
        n,
        latest=NOW - timedelta(days=days_ago),
        spacing=timedelta(minutes=1),
        key=f"cmd:{next(_keys)}:{giver}",
        team=team,
        note=note,
        channel_id="C1",
    )
    await store.events.record(events, daily_cap=100)


async def test_counterparts_aggregate_both_directions(store: Store) -> None:
    await helped(store, "UA", "UB", days_ago=3, n=2)
    await helped(store, "UB", "UA", days_ago=1)
    await helped(store, "UC", "UA", days_ago=5)
    await helped(store, "UA", "UD", days_ago=2)
    await helped(store, "UB", "UA", team=OTHER_TEAM)
    found = {c.user_id: c for c in await store.insights.counterparts(team_id=TEAM, user_id="UA")}
    assert {u: (c.given, c.received) for u, c in found.items()} == {
        "UB": (2, 1),
        "UC": (0, 1),
        "UD": (1, 0),
    }
    assert found["UB"].last_given == NOW - timedelta(days=3)
    assert found["UB"].last_received == NOW - timedelta(days=1)
    assert found["UC"].last_given is None


async def test_over_the_daily_cap_does_not_count_in_ties(store: Store) -> None:
    events = [HelpEvent(TEAM, "UA", "UB", "", "command", None, NOW, f"cap:{i}") for i in range(5)]
    await store.events.record(events, daily_cap=3)
    [bob] = await store.insights.counterparts(team_id=TEAM, user_id="UA")
    assert bob.given == 3


async def test_breadth_ranks_by_different_colleagues_then_recency(store: Store) -> None:
    await helped(store, "UA", "UB", n=10, days_ago=1)  # many times, one colleague
    for receiver in ("UB", "UC", "UD"):
        await helped(store, "UE", receiver, days_ago=2)  # three colleagues
    for receiver in ("UB", "UC", "UD"):
        await helped(store, "UF", receiver, days_ago=1)  # three, more recently
    await helped(store, "UG", "UA", days_ago=20)  # outside a week
    rows = await store.insights.breadth(team_id=TEAM, since=NOW - timedelta(days=7))
    ranked = rank_breadth(rows)
    assert [(r.user_id, r.colleagues, r.events) for r in ranked] == [
        ("UF", 3, 3),
        ("UE", 3, 3),
        ("UA", 1, 10),
    ]
    everyone = await store.insights.breadth(team_id=TEAM, since=None)
    assert "UG" in [r.user_id for r in everyone]


async def test_people_who_hide_are_left_out_of_the_leaderboard(store: Store) -> None:
    await helped(store, "UA", "UB")
    await helped(store, "UC", "UB")
    await store.preferences.save_user(TEAM, "UA", UserPreferences(hide_from_top=True), now=NOW)
    # the same person hiding in another workspace changes nothing here
    await store.preferences.save_user(
        OTHER_TEAM, "UC", UserPreferences(hide_from_top=True), now=NOW
    )
    rows = await store.insights.breadth(team_id=TEAM, since=None)
    assert [r.user_id for r in rows] == ["UC"]
    await store.preferences.save_user(TEAM, "UA", UserPreferences(hide_from_top=False), now=NOW)
    rows = await store.insights.breadth(team_id=TEAM, since=None)
    assert sorted(r.user_id for r in rows) == ["UA", "UC"]


async def test_forget_keeps_everyone_elses_counts_and_removes_identity(store: Store) -> None:
    await helped(store, "UA", "UB", note="fixed my laptop", n=2)
    await helped(store, "UB", "UA", note="covered my shift")
    await helped(store, "UC", "UB", note="pairing")
    await helped(store, "UA", "UB", team=OTHER_TEAM)
    await store.profiles.save(
        UserProfile(TEAM, "UA", name="alice", tz="Asia/Tokyo", fetched_at=NOW)
    )
    await store.preferences.save_user(TEAM, "UA", UserPreferences(nudges=False), now=NOW)
    since = NOW - timedelta(days=90)
    bob_before = await store.events.ledger(team_id=TEAM, user_id="UB", since=since)

    forgotten = await store.privacy.forget(team_id=TEAM, user_id="UA")

    assert forgotten.token.startswith("anon-") and forgotten.rows > 0
    bob_after = await store.events.ledger(team_id=TEAM, user_id="UB", since=since)
    assert (bob_after.given_total, bob_after.received_total) == (
        bob_before.given_total,
        bob_before.received_total,
    )
    rows = [e async for e in store.events.export(team_id=TEAM)]
    dump = repr(rows)
    assert "UA" not in dump.replace("UALICE", "")
    assert "fixed my laptop" not in dump and "covered my shift" not in dump
    assert "pairing" in dump  # between other people: untouched
    assert sum(e.giver_id == forgotten.token for e in rows) == 2
    assert await store.profiles.get(team_id=TEAM, user_id="UA") is None
    assert await store.preferences.user(TEAM, "UA") == UserPreferences()
    # another workspace is not touched
    other = [e async for e in store.events.export(team_id=OTHER_TEAM)]
    assert [e.giver_id for e in other] == ["UA"]
    # forgetting again changes nothing; each forget draws a new token (nothing derives it)
    again = await store.privacy.forget(team_id=TEAM, user_id="UA")
    assert again.rows == 0 and again.token != forgotten.token


async def test_tokens_differ_per_person_and_per_workspace(store: Store) -> None:
    a = await store.privacy.forget(team_id=TEAM, user_id="UA")
    b = await store.privacy.forget(team_id=TEAM, user_id="UB")
    a_elsewhere = await store.privacy.forget(team_id=OTHER_TEAM, user_id="UA")
    assert len({a.token, b.token, a_elsewhere.token}) == 3


async def test_stats_count_events_people_and_two_way_ties(store: Store) -> None:
    await helped(store, "UA", "UB", n=2)
    await helped(store, "UB", "UA")
    await helped(store, "UC", "UA")
    await helped(store, "UB", "UC")
    await helped(store, "UC", "UB")
    await helped(store, "UX", "UY", team=OTHER_TEAM)
    [mine] = await store.insights.stats(team_id=TEAM)
    assert (mine.events, mine.people, mine.two_way_ties, mine.open_asks) == (6, 3, 2, 0)
    both = await store.insights.stats()
    assert [(s.team_id, s.events) for s in both] == [(TEAM, 6), (OTHER_TEAM, 1)]


async def test_an_offer_is_claimed_once_per_message(store: Store) -> None:
    first = await store.offers.claim(team_id=TEAM, key="detect:C1:1.2", user_id="UA", now=NOW)
    again = await store.offers.claim(team_id=TEAM, key="detect:C1:1.2", user_id="UA", now=NOW)
    assert (first, again) == (True, False)


async def test_forget_removes_the_persons_asks_text_and_identity(store: Store) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 23, tzinfo=UTC)
    ask, _ = await store.asks.create(
        team_id=TEAM,
        asker_id="UA",
        text="help me with my visa",
        channel_id="C1",
        asked=["UB"],
        held=False,
        now=now,
        key="ask-1",
    )
    await store.asks.offer(team_id=TEAM, ask_id=ask.id, user_id="UA2", now=now)
    forgotten = await store.privacy.forget(team_id=TEAM, user_id="UA")
    after = await store.asks.get(team_id=TEAM, ask_id=ask.id)
    assert after is not None
    assert after.asker_id == forgotten.token and "visa" not in after.text
    assert after.asked == ("UB",) and after.offers == ("UA2",)
