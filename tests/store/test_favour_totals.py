"""Giving and asking (storage.activity's one definition) against a recount of the rows.

Asks held, posted later, resolved and withdrawn; offers; help credited on asks (under the
daily cap); thanks by command; removed reactions and forget-me: after each random mix, on both
backends, every person's balance equals what the asks, offers and help events themselves say.
The migration's backfill is checked the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.records import Balance, HelpEvent
from storage import Store
from storage.backends import sqlite as sqlite_db

TEAM, OTHER = "T0001", "T0002"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
PEOPLE = [f"U{i}" for i in range(6)]
WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Rows:
    asks: list[tuple[str, str, str, int]]  # team, asker, status, created_at
    offers: list[tuple[str, str, int]]  # team, user, created_at
    events: list[HelpEvent]  # counted only


async def rows(store: Store) -> Rows:
    asks = await store.db.fetchall("SELECT team_id, asker_id, status, created_at FROM asks")
    offers = await store.db.fetchall(
        "SELECT team_id, user_id, created_at FROM ask_people WHERE role = 'offered'"
    )
    events = [e async for e in store.events.export() if e.counted]
    return Rows(
        [(r[0], r[1], r[2], int(r[3])) for r in asks],
        [(r[0], r[1], int(r[2])) for r in offers],
        events,
    )


def recount(found: Rows, team: str, person: str, since: datetime) -> Balance:
    start = int(since.timestamp())
    events = [e for e in found.events if e.team_id == team]
    asks = [a for a in found.asks if a[0] == team and a[1] == person and a[2] != "held"]
    offers = [o for o in found.offers if o[0] == team and o[1] == person]
    mine = [e for e in events if person in (e.giver_id, e.receiver_id)]
    return Balance(
        giving=sum(e.giver_id == person and e.created_at >= since for e in events)
        + sum(o[2] >= start for o in offers),
        asking=sum(a[3] >= start for a in asks)
        + sum(
            e.receiver_id == person and e.source == "ask" and e.created_at >= since for e in events
        ),
        events=len(mine),
        started=bool(mine or asks or offers),
    )


async def assert_balances_match(store: Store, since: datetime = NOW - WINDOW) -> None:
    found = await rows(store)
    for team in (TEAM, OTHER):
        everyone = await store.activity.balances(team, since=since)
        for person in [*PEOPLE, "anon-x"]:
            want = recount(found, team, person, since)
            assert await store.activity.balance(team, person, since=since) == want, (team, person)
            assert everyone.get(person, Balance()) == want, (team, person)
        forgotten = {p for p in everyone if p.startswith("anon-")}
        for token in forgotten:  # a forgotten person's favours stay, under their token
            assert everyone[token] == recount(found, team, token, since)


def moment(rng: random.Random) -> datetime:
    # Whole days and odd seconds, so the window's first day is cut part-way.
    return NOW - timedelta(days=rng.randrange(60), seconds=rng.randrange(86400))


async def random_favours(store: Store, rng: random.Random, n: int) -> None:
    for i in range(n):
        team = rng.choice([TEAM, TEAM, TEAM, OTHER])
        asker = rng.choice(PEOPLE)
        when = moment(rng)
        ask, _ = await store.asks.create(
            team_id=team,
            asker_id=asker,
            text=f"ask {i}",
            channel_id="C1",
            asked=[],
            held=rng.random() < 0.3,
            now=when,
            key=f"ask{i}",
        )
        if ask.status == "held" and rng.random() < 0.5:
            await store.asks.publish(team_id=team, ask_id=ask.id, now=when + timedelta(hours=1))
        helpers = rng.sample([p for p in PEOPLE if p != asker], rng.randrange(3))
        for helper in helpers:
            await store.asks.offer(team_id=team, ask_id=ask.id, user_id=helper, now=when)
        fresh = await store.asks.get(team_id=team, ask_id=ask.id)
        assert fresh is not None
        if fresh.is_open and helpers and rng.random() < 0.6:
            later = when + timedelta(hours=rng.randrange(48))
            await store.asks.resolve(ask=fresh, helpers=helpers, note="", now=later, daily_cap=1)
        elif fresh.is_open and rng.random() < 0.2:
            await store.asks.withdraw(team_id=team, ask_id=ask.id, now=when)


def random_thanks(rng: random.Random, n: int) -> list[HelpEvent]:
    events = []
    for i in range(n):
        giver, receiver = rng.sample(PEOPLE, 2)
        team = rng.choice([TEAM, TEAM, OTHER])
        events.append(HelpEvent(team, giver, receiver, "", "command", "C1", moment(rng), f"t{i}"))
    return events


@pytest.mark.parametrize("seed", [1, 2])
async def test_giving_and_asking_follow_asks_offers_help_and_forgetting(
    store: Store, seed: int
) -> None:
    rng = random.Random(seed)
    await random_favours(store, rng, 40)
    thanks = random_thanks(rng, 60)
    await store.events.record(thanks, daily_cap=2)
    await assert_balances_match(store)
    # A window opening on a different second of its first day reads the same rows.
    await assert_balances_match(store, since=NOW - WINDOW + timedelta(hours=7))

    for gone in rng.sample(thanks, 15):
        await store.events.delete(team_id=gone.team_id, key=gone.key)
    ask_help = [e for e in (await rows(store)).events if e.source == "ask"]
    for gone in rng.sample(ask_help, min(5, len(ask_help))):  # say, an event taken back
        await store.events.delete(team_id=gone.team_id, key=gone.key)
    await assert_balances_match(store)

    await store.privacy.forget(team_id=TEAM, user_id="U1")
    await assert_balances_match(store)
    assert await store.activity.balance(TEAM, "U1", since=NOW - WINDOW) == Balance()


async def test_thanks_a_person_volunteers_never_count_against_them(store: Store) -> None:
    thanks = [
        HelpEvent(TEAM, helper, "U0", "", source, "C1", NOW - timedelta(hours=i), f"k{i}")
        for i, (helper, source) in enumerate(
            [
                ("U1", "command"),
                ("U2", "mention"),
                ("U3", "reaction"),
                ("U4", "shortcut"),
                ("U5", "modal"),
                ("U1", "detected"),
            ]
        )
    ]
    await store.events.record(thanks)
    mine = await store.activity.balance(TEAM, "U0", since=NOW - WINDOW)
    assert mine == Balance(giving=0, asking=0, events=6, started=True)
    helper = await store.activity.balance(TEAM, "U1", since=NOW - WINDOW)
    assert (helper.giving, helper.asking) == (2, 0)


async def test_a_held_ask_counts_once_it_goes_out(store: Store) -> None:
    ask, _ = await store.asks.create(
        team_id=TEAM,
        asker_id="U0",
        text="x",
        channel_id=None,
        asked=[],
        held=True,
        now=NOW,
        key="k",
    )
    since = NOW - WINDOW
    assert await store.activity.balance(TEAM, "U0", since=since) == Balance()
    assert await store.activity.prompted(TEAM, since=NOW - timedelta(hours=1)) == {"U0": NOW}
    await store.asks.publish(team_id=TEAM, ask_id=ask.id, now=NOW + timedelta(minutes=1))
    assert (await store.activity.balance(TEAM, "U0", since=since)).asking == 1
    assert await store.activity.prompted(TEAM, since=NOW + timedelta(minutes=1)) == {}


async def test_migration_builds_favours_from_existing_asks(tmp_path) -> None:
    """A database from before 0009 (asks, offers and help in it): the backfill matches."""
    path = tmp_path / "old.db"
    conn = await sqlite_db.connect(path)
    await sqlite_db.migrate(conn, upto=8)
    rng = random.Random(5)
    for i in range(80):
        team, asker = rng.choice([TEAM, TEAM, OTHER]), rng.choice(PEOPLE)
        created = int(moment(rng).timestamp())
        status = rng.choice(["held", "open", "resolved", "withdrawn"])
        cursor = await conn.execute(
            "INSERT INTO asks (team_id, asker_id, text, status, created_at, idem_key)"
            " VALUES (?, ?, 'x', ?, ?, ?)",
            (team, asker, status, created, f"a{i}"),
        )
        for helper in rng.sample([p for p in PEOPLE if p != asker], rng.randrange(3)):
            await conn.execute(
                "INSERT INTO ask_people (team_id, ask_id, user_id, role, created_at)"
                " VALUES (?, ?, ?, 'offered', ?)",
                (team, cursor.lastrowid, helper, created + 60),
            )
            await conn.execute(
                "INSERT INTO help_events (team_id, giver_id, receiver_id, source, created_at,"
                " idem_key, counted) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    team,
                    helper,
                    asker,
                    rng.choice(["ask", "command"]),
                    created + 3600,
                    f"h{i}{helper}",
                    rng.choice([1, 1, 0]),
                ),
            )
    await conn.commit()
    await conn.close()
    store = await Store.open(path)
    try:
        assert await store.schema_version() >= 9
        await assert_balances_match(store)
    finally:
        await store.close()
