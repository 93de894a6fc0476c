"""The nudge log on both backends: claims are atomic, sent is final, leases expire."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg

from bot.domain.nudges import NudgeKey
from storage import Store, open_store
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM
from tests.support.nudges import helped

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)
KEY = NudgeKey(TEAM, ALICE, "giveback", "2026-11-23")


async def test_a_new_key_is_claimed_once_and_held_during_the_lease(store: Store) -> None:
    claim = await store.nudges.claim(KEY, now=NOW, lease=LEASE)
    assert claim is not None and claim.attempts == 1 and not claim.uncertain
    assert await store.nudges.claim(KEY, now=NOW + timedelta(minutes=9), lease=LEASE) is None


async def test_a_stale_claim_is_reclaimed_as_uncertain(store: Store) -> None:
    await store.nudges.claim(KEY, now=NOW, lease=LEASE)
    again = await store.nudges.claim(KEY, now=NOW + timedelta(minutes=15), lease=LEASE)
    assert again is not None and again.attempts == 2 and again.uncertain
    assert again.first_claimed_at == NOW


async def test_sent_and_skipped_are_final(store: Store) -> None:
    await store.nudges.claim(KEY, now=NOW, lease=LEASE)
    await store.nudges.mark_sent(KEY, channel_id="D1", message_ts="1.000001", now=NOW)
    assert await store.nudges.claim(KEY, now=NOW + timedelta(days=30), lease=LEASE) is None
    other = NudgeKey(TEAM, BOB, "giveback", "2026-11-23")
    await store.nudges.claim(other, now=NOW, lease=LEASE)
    await store.nudges.mark_skipped(other, reason="user_not_found")
    assert await store.nudges.claim(other, now=NOW + timedelta(days=30), lease=LEASE) is None


async def test_a_released_claim_is_claimed_again_at_once(store: Store) -> None:
    await store.nudges.claim(KEY, now=NOW, lease=LEASE)
    await store.nudges.release(KEY, uncertain=False, reason="ratelimited")
    again = await store.nudges.claim(KEY, now=NOW, lease=LEASE)
    assert again is not None and again.attempts == 2 and not again.uncertain


async def test_concurrent_claims_from_two_connections_let_exactly_one_win(
    store: Store,
) -> None:
    other = await open_store(store.path)  # a second process: own connections
    try:
        keys = [NudgeKey(TEAM, f"U{i}", "giveback", "2026-11-23") for i in range(20)]
        claims = await asyncio.gather(
            *(s.nudges.claim(k, now=NOW, lease=LEASE) for k in keys for s in (store, other, store))
        )
    finally:
        await other.close()
    won = [c.key for c in claims if c is not None]
    assert sorted(won, key=lambda k: k.recipient_id) == sorted(keys, key=lambda k: k.recipient_id)


async def test_postgresql_claims_skip_a_row_another_process_has_locked(postgres_url: str) -> None:
    """A sweep elsewhere holding the row (FOR UPDATE) is skipped, not waited for nor taken."""
    store = await open_store(postgres_url)
    holder = await asyncpg.connect(postgres_url)
    try:
        await store.nudges.claim(KEY, now=NOW, lease=LEASE)
        later = NOW + timedelta(minutes=15)  # the claim has expired: claimable again
        async with holder.transaction():
            locked = await holder.fetchval(
                "SELECT attempts FROM nudge_log WHERE team_id = $1 AND recipient_id = $2"
                " FOR UPDATE",
                TEAM,
                ALICE,
            )
            assert locked == 1
            # With a plain FOR UPDATE this would wait for the holder (the guard would fire).
            skipped = await asyncio.wait_for(store.nudges.claim(KEY, now=later, lease=LEASE), 30)
            assert skipped is None
        taken = await store.nudges.claim(KEY, now=later, lease=LEASE)
        assert taken is not None and taken.attempts == 2 and taken.uncertain
    finally:
        await holder.close()
        await store.close()


async def test_last_contact_counts_sent_and_in_flight_messages(store: Store) -> None:
    assert await store.nudges.last_contact(TEAM, ALICE, ("giveback", "welcome")) is None
    await store.nudges.claim(KEY, now=NOW, lease=LEASE)
    last = await store.nudges.last_contact(TEAM, ALICE, ("giveback", "welcome"))
    assert last is not None and last.at == NOW and last.period == "2026-11-23"
    await store.nudges.mark_sent(KEY, channel_id="D1", message_ts="1.1", now=NOW + timedelta(1))
    last = await store.nudges.last_contact(TEAM, ALICE, ("giveback",))
    assert last is not None and last.at == NOW + timedelta(days=1)
    assert await store.nudges.last_contact(TEAM, ALICE, ("digest",)) is None


async def test_activity_views(store: Store) -> None:
    await helped(store, BOB, ALICE, 3, at=NOW)
    await helped(store, CAROL, ALICE, 1, at=NOW - timedelta(days=100))  # outside the window
    await helped(store, ALICE, CAROL, 1, at=NOW - timedelta(days=200))
    since = NOW - timedelta(days=90)

    balances = await store.activity.balances(TEAM, since=since)
    # Alice thanked Bob three times: gratitude, neither giving nor asking on her side.
    assert (balances[ALICE].giving, balances[ALICE].asking, balances[ALICE].events) == (0, 0, 5)
    assert (balances[BOB].giving, balances[BOB].events) == (3, 3)
    await store.asks.create(
        team_id=TEAM,
        asker_id=DAVE,
        text="x",
        channel_id=None,
        asked=[],
        held=False,
        now=NOW,
        key="k",
    )
    started = await store.activity.balances(TEAM, since=since)
    assert sorted(started) == [ALICE, BOB, CAROL, DAVE]  # an ask is use too

    week = NOW - timedelta(days=7)
    assert await store.activity.new_ties(TEAM, since=week, until=NOW) == []  # Carol: long ago
    await helped(store, ALICE, BOB, 1, at=NOW)
    assert await store.activity.new_ties(TEAM, since=week, until=NOW) == [(ALICE, BOB)]
    widest = await store.activity.widest_helpers(TEAM, since=week, until=NOW)
    assert [(p.user_id, p.count) for p in widest] == [(BOB, 1), (ALICE, 1)]
    assert await store.activity.thanks_count(TEAM, since=week, until=NOW) == 4
