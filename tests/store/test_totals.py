"""The running totals (help_daily, help_pairs) against a recount of the events themselves.

Every read that uses the totals is compared with the same answer computed in Python from the
full export, after random mixes of recording (with the daily cap), reaction removal (delete)
and forget-me, on both backends; and the migration's backfill is checked the same way.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.network import real_network, thank_back
from bot.domain.records import HelpEvent
from storage import Store
from storage.backends import sqlite as sqlite_db

TEAM, OTHER = "T0001", "T0002"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
PEOPLE = [f"U{i}" for i in range(6)]
WINDOW = timedelta(days=30)


def random_events(rng: random.Random, n: int, start: int = 0) -> list[HelpEvent]:
    events = []
    for i in range(start, start + n):
        giver, receiver = rng.sample(PEOPLE, 2)
        # Whole days and odd seconds, so the window's first day is cut part-way.
        ago = timedelta(days=rng.randrange(60), seconds=rng.randrange(86400))
        events.append(
            HelpEvent(
                rng.choice([TEAM, TEAM, TEAM, OTHER]),
                giver,
                receiver,
                f"note {i}",
                "command",
                "C1",
                NOW - ago,
                key=f"k{i}",
            )
        )
    return events


async def everything(store: Store, team: str) -> list[HelpEvent]:
    return [e async for e in store.events.export(team_id=team) if e.counted]


async def assert_totals_match(store: Store) -> None:
    since = NOW - WINDOW
    for team in (TEAM, OTHER):
        events = await everything(store, team)
        people = {e.giver_id for e in events} | {e.receiver_id for e in events} | set(PEOPLE)
        balances = await store.activity.balances(team, since=since)  # thanks only here
        for person in sorted(people):
            given = [e for e in events if e.giver_id == person]
            received = [e for e in events if e.receiver_id == person]
            ledger = await store.events.ledger(team_id=team, user_id=person, since=since, top=50)
            want = (
                sum(e.created_at >= since for e in given),
                sum(e.created_at >= since for e in received),
                len(given),
                len(received),
            )
            got = (
                ledger.given_recent,
                ledger.received_recent,
                ledger.given_total,
                ledger.received_total,
            )
            assert got == want, (team, person)
            assert ledger.colleagues_helped == len(
                {e.receiver_id for e in given if e.created_at >= since}
            )
            assert ledger.colleagues_helping == len(
                {e.giver_id for e in received if e.created_at >= since}
            )
            if given or received:
                # Thanks by command: giving for the helper, nothing asked of the thanked.
                balance = balances[person]
                assert (balance.giving, balance.asking, balance.events) == (
                    want[0],
                    0,
                    want[2] + want[3],
                )
            else:
                assert person not in balances
            helpers = Counter(e.giver_id for e in received)
            assert {(p.user_id, p.count) for p in ledger.top_helpers} == set(helpers.items())
            assert {(p.user_id, p.count) for p in ledger.top_helped} == set(
                Counter(e.receiver_id for e in given).items()
            )
            last: dict[tuple[str, str], datetime] = defaultdict(
                lambda: datetime.min.replace(tzinfo=UTC)
            )
            for e in given:
                last[e.receiver_id, "given"] = max(last[e.receiver_id, "given"], e.created_at)
            for e in received:
                last[e.giver_id, "received"] = max(last[e.giver_id, "received"], e.created_at)
            for part in await store.insights.counterparts(team_id=team, user_id=person):
                assert part.given == sum(e.receiver_id == part.user_id for e in given)
                assert part.received == sum(e.giver_id == part.user_id for e in received)
                assert part.last_given == last.get((part.user_id, "given"))
                assert part.last_received == last.get((part.user_id, "received"))
            everyone = await store.insights.counterparts(team_id=team, user_id=person)
            for limit in (1, 2, 10):
                picked = await store.insights.counterparts(
                    team_id=team, user_id=person, limit=limit
                )
                assert real_network(picked, limit) == real_network(everyone, limit)
                assert thank_back(picked, limit) == thank_back(everyone, limit)
            assert await store.activity.help_from(team, person, ["U0", "U1", "NOBODY"]) == {
                g: n for g, n in helpers.items() if g in ("U0", "U1")
            }
        pairs = {(e.giver_id, e.receiver_id) for e in events}
        ties = {(a, b) for a, b in pairs if a < b and (b, a) in pairs}
        [stats] = await store.insights.stats(team_id=team)
        assert stats.two_way_ties == len(ties)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_totals_follow_records_deletes_and_forgetting(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    events = random_events(rng, 120)
    # A few repeats of one pair on one day: over the daily cap, stored uncounted.
    events += [
        HelpEvent(TEAM, "U0", "U1", "again", "command", "C1", NOW - timedelta(hours=h), key=f"r{h}")
        for h in range(5)
    ]
    await store.events.record(events[:60], daily_cap=3)
    await store.events.record(events[60:], daily_cap=3)
    await store.events.record(events[:10], daily_cap=3)  # redeliveries change nothing
    await assert_totals_match(store)

    for gone in rng.sample(events, 25):
        await store.events.delete(team_id=gone.team_id, key=gone.key)
    await assert_totals_match(store)

    await store.privacy.forget(team_id=TEAM, user_id="U2")
    await assert_totals_match(store)
    forgotten = await store.events.ledger(team_id=TEAM, user_id="U2", since=NOW - WINDOW)
    assert (forgotten.given_total, forgotten.received_total, forgotten.top_helpers) == (0, 0, [])


async def test_window_edge_is_inclusive_and_one_second_older_is_out(store: Store) -> None:
    edge = NOW - WINDOW

    def at(giver: str, receiver: str, moment: datetime, key: str) -> HelpEvent:
        return HelpEvent(TEAM, giver, receiver, "", "command", "C1", moment, key=key)

    await store.events.record(
        [
            at("UA", "UME", edge, "edge"),  # exactly at the edge: in
            at("UB", "UME", edge - timedelta(seconds=1), "older"),  # a second older: out
            at("UME", "UC", NOW, "now"),  # now: in
            at("UME", "UC", edge + timedelta(days=1), "next-day"),  # a whole day later: in
        ]
    )
    ledger = await store.events.ledger(team_id=TEAM, user_id="UME", since=edge, top=0)
    assert (ledger.given_recent, ledger.received_recent) == (2, 1)
    assert (ledger.given_total, ledger.received_total) == (2, 2)
    balance = (await store.activity.balances(TEAM, since=edge))["UME"]
    assert (balance.giving, balance.asking, balance.events) == (2, 0, 4)
    assert await store.activity.balance(TEAM, "UME", since=edge) == balance


async def test_migration_builds_totals_from_an_existing_ledger(tmp_path) -> None:
    """A database from before the totals: the migration's backfill matches a recount."""
    path = tmp_path / "old.db"
    conn = await sqlite_db.connect(path)
    await sqlite_db.migrate(conn, upto=6)
    rng = random.Random(7)
    for event in random_events(rng, 200):
        await conn.execute(
            "INSERT INTO help_events (team_id, giver_id, receiver_id, note, source, channel_id,"
            " created_at, idem_key, counted) VALUES (?, ?, ?, '', 'command', 'C1', ?, ?, ?)",
            (
                event.team_id,
                event.giver_id,
                event.receiver_id,
                int(event.created_at.timestamp()),
                event.key,
                rng.choice([1, 1, 1, 0]),
            ),
        )
    await conn.commit()
    await conn.close()
    store = await Store.open(path)
    try:
        assert await store.schema_version() >= 7
        await assert_totals_match(store)
    finally:
        await store.close()


async def test_upto_stops_before_later_migrations(tmp_path) -> None:
    conn = await sqlite_db.connect(tmp_path / "x.db")
    try:
        await sqlite_db.migrate(conn, upto=6)
        assert await sqlite_db.schema_version(conn) == 6
        cursor = await conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'help_daily'")
        assert (await cursor.fetchone())[0] == 0
    finally:
        await conn.close()


async def test_strongest_ties_are_found_above_every_floor(store: Store) -> None:
    """Ties strong enough to clear the first floors, and many weak ones: the same top ties."""
    day = timedelta(days=1)
    events = []
    for other, strength in [("UA", 70), ("UB", 20), ("UC", 5), ("UD", 2)]:
        for i in range(strength):
            moment = NOW - day * (i + 1)
            events.append(
                HelpEvent(TEAM, "UME", other, "", "command", "C1", moment, key=f"{other}>{i}")
            )
            events.append(
                HelpEvent(TEAM, other, "UME", "", "command", "C1", moment, key=f"{other}<{i}")
            )
    events += [
        HelpEvent(TEAM, "UME", f"UW{i}", "", "command", "C1", NOW, key=f"w{i}") for i in range(30)
    ]
    await store.events.record(events, daily_cap=3)
    everyone = await store.insights.counterparts(team_id=TEAM, user_id="UME")
    for limit in (1, 2, 3, 4, 5):
        picked = await store.insights.counterparts(team_id=TEAM, user_id="UME", limit=limit)
        assert real_network(picked, limit) == real_network(everyone, limit)
    assert [c.user_id for c in real_network(everyone, 4)] == ["UA", "UB", "UC", "UD"]


async def test_concurrent_thanks_among_few_people_all_land_with_exact_caps(
    store: Store,
) -> None:
    """Many writers at once on the same people (hot day rows, pairs both ways): every thanks
    is stored once, the daily cap holds exactly, and the totals still match a recount."""
    people = ["UA", "UB", "UC"]
    events = [
        HelpEvent(
            TEAM,
            people[i % 3],
            people[(i + 1 + i // 3 % 2) % 3],
            "",
            "command",
            "C1",
            NOW - timedelta(minutes=i),
            key=f"hot{i}",
        )
        for i in range(60)
    ]
    results = await asyncio.gather(*(store.events.record([e], daily_cap=3) for e in events))
    assert all(new == [True] for new in results)
    stored = [e async for e in store.events.export(team_id=TEAM)]
    assert len(stored) == 60
    per_pair = Counter((e.giver_id, e.receiver_id) for e in stored if e.counted)
    assert set(per_pair.values()) == {3}  # six pairs, each capped at three today
    await assert_totals_match(store)
