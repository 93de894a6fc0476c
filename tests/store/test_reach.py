"""The store behind calm channels: send counts, reaction roll-ups, channel languages, and
forgetting them (both backends, through the ``store`` fixture)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain.records import HelpEvent, MessageRef, Stored
from storage import Store
from storage.rollups import CLAIM_LEASE, Thanker

TEAM = "T0001"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
MESSAGE = MessageRef(TEAM, "C0001", "1700000000.000100")


async def take(store: Store, want: int, *, period: int = 1, subject: str = "UA") -> int:
    return await store.send_counts.take(
        team_id=TEAM, subject_id=subject, kind="announce", period=period, want=want, most=20
    )


async def once(store: Store, subject: str = "UA") -> bool:
    granted = await store.send_counts.take(
        team_id=TEAM, subject_id=subject, kind="intro", period=0, want=1, most=1
    )
    return granted == 1


async def test_a_limit_grants_what_is_left_and_starts_again_each_period(store: Store) -> None:
    assert [await take(store, 15), await take(store, 10), await take(store, 1)] == [15, 5, 0]
    assert await take(store, 1, subject="UB") == 1  # everyone has their own
    assert await take(store, 3, period=2) == 3  # the next hour
    assert await take(store, 20, period=2) == 17
    assert [await once(store), await once(store)] == [True, False]  # once ever: always stored
    rows = await store.db.fetchall("SELECT period FROM send_counts WHERE subject_id = 'UA'")
    periods = sorted(row[0] for row in rows)
    # PostgreSQL may be shared by several processes: every count is stored there (the past
    # hour dropped on the way). A SQLite file has one bot process: it counts hours in memory.
    assert periods == ([0, 2] if store.db.dialect == "postgresql" else [0])


async def test_concurrent_takes_never_grant_more_than_the_limit(store: Store) -> None:
    granted = await asyncio.gather(*(take(store, 3) for _ in range(12)))
    assert sum(granted) == 20 and all(g in (0, 2, 3) for g in granted)


async def thanked(store: Store, reactor: str, emoji: str, *, counted_cap: int = 3) -> None:
    """``reactor`` thanks the message's author UC with ``emoji``, as the reaction handler does."""
    key = f"react:{MESSAGE.channel_id}:{MESSAGE.ts}:{reactor}"
    event = HelpEvent(TEAM, "UC", reactor, "", "reaction", "C0001", NOW, f"{key}:UC")
    await store.events.record([event], daily_cap=counted_cap)
    await store.rollups.add_reaction(
        MESSAGE, reactor_id=reactor, emoji=emoji, helper_id="UC", event_key=f"{key}:UC", now=NOW
    )


async def test_thankers_are_the_people_whose_reaction_counts_once_each(store: Store) -> None:
    await thanked(store, "UA", "raised_hands")
    await thanked(store, "UA", "pray")  # a second emoji: the same thanks
    await thanked(store, "UB", "pray", counted_cap=0)  # past the daily cap: not shown
    assert await store.rollups.thankers(MESSAGE) == [Thanker("UA", "UC")]
    assert await store.rollups.remove_reaction(MESSAGE, reactor_id="UA", emoji="pray") == (True, 1)
    assert await store.rollups.remove_reaction(MESSAGE, reactor_id="UA", emoji="tada") == (False, 1)
    assert await store.rollups.remove_reaction(MESSAGE, reactor_id="UA", emoji="raised_hands") == (
        True,
        0,
    )
    assert await store.rollups.thankers(MESSAGE) == []


async def test_one_delivery_claims_the_reply_and_a_dead_claim_is_taken_over(store: Store) -> None:
    claims = await asyncio.gather(*(store.rollups.claim_reply(MESSAGE, now=NOW) for _ in range(5)))
    assert sorted(claims) == [False, False, False, False, True]
    assert await store.rollups.reply(MESSAGE) is None
    later = NOW + CLAIM_LEASE + timedelta(seconds=1)
    assert await store.rollups.claim_reply(MESSAGE, now=later)  # the first never posted
    await store.rollups.set_reply(MESSAGE, "1700000001.000200")
    assert await store.rollups.reply(MESSAGE) == "1700000001.000200"
    assert not await store.rollups.claim_reply(MESSAGE, now=later + CLAIM_LEASE * 2)
    await store.rollups.set_reply(MESSAGE, None)  # deleted: the next reaction posts afresh
    assert await store.rollups.claim_reply(MESSAGE, now=later)


async def test_a_channel_language_is_set_read_back_and_cleared(store: Store) -> None:
    assert await store.channels.language(TEAM, "C0001") is None
    await store.channels.set_language(TEAM, "C0001", "ja", now=NOW)
    assert await store.channels.language(TEAM, "C0001") == "ja"
    assert await store.channels.language("T0002", "C0001") is None  # scoped by workspace
    await store.channels.set_language(TEAM, "C0001", None, now=NOW)
    assert await store.channels.language(TEAM, "C0001") is None


async def test_forget_me_leaves_no_id_in_the_new_tables(store: Store) -> None:
    await thanked(store, "UA", "raised_hands")
    await take(store, 20)
    await once(store)
    await store.privacy.forget(team_id=TEAM, user_id="UA")
    rows = await store.db.fetchall("SELECT * FROM reaction_thanks")
    assert rows and all("UA" not in str(tuple(row)) for row in rows)
    assert await store.db.fetchall("SELECT * FROM send_counts WHERE subject_id = 'UA'") == []
    assert await take(store, 1) == 1  # nothing of them is left in memory either
    [thanker] = await store.rollups.thankers(MESSAGE)  # the thanks still counts, anonymously
    assert thanker.reactor_id.startswith("anon-")


async def test_recording_says_which_new_events_count(store: Store) -> None:
    def event(n: int) -> HelpEvent:
        return HelpEvent(TEAM, "UB", "UA", "", "command", "C0001", NOW, f"cmd:{n}")

    batch = [event(n) for n in range(5)]  # more than a few: SQLite's batch path
    counted, uncounted = Stored.COUNTED, Stored.UNCOUNTED
    assert await store.events.record_each(batch) == [counted] * 3 + [uncounted] * 2
    assert await store.events.record_each(batch) == [Stored.SEEN] * 5
    assert await store.events.record_each([event(5)]) == [uncounted]  # one at a time
    assert await store.events.record([event(5), event(6)]) == [False, True]
