"""What the store tells its observer (the app's metrics), and its readiness ping."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.domain.records import UserProfile
from storage import Store
from storage.observe import StoreObserver

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def test_writes_and_group_commits_are_reported(store: Store) -> None:
    seconds: list[float] = []
    batches: list[int] = []
    store.observe(StoreObserver(write_seconds=seconds.append, batch_size=batches.append))
    profiles = [UserProfile("T1", f"U{n}", name=f"p{n}", fetched_at=NOW) for n in range(20)]
    await asyncio.gather(*(store.profiles.save(p) for p in profiles))
    assert len(seconds) == 20 and all(s >= 0 for s in seconds)
    if store.db.dialect == "sqlite":  # one writer: concurrent writes share commits
        assert sum(batches) == 20 and max(batches) > 1
    else:  # each write commits alone
        assert batches == []


async def test_caches_count_their_hits_and_misses(store: Store) -> None:
    await store.preferences.workspace("T1")
    await store.preferences.workspace("T1")
    counts = {cache.name: (cache.hits, cache.misses) for cache in store.caches()}
    assert counts["workspace_settings"] == (1, 1)
    assert set(counts) == {
        "profiles",
        "workspace_settings",
        "user_preferences",
        "channel_languages",
    }


async def test_ping_answers_while_the_database_does(store: Store) -> None:
    await store.ping()


async def test_open_asks_are_counted_across_workspaces(store: Store) -> None:
    for n, team in enumerate(("T1", "T1", "T2")):
        await store.asks.create(
            team_id=team,
            asker_id="U1",
            text="a hand with the release",
            channel_id="C1",
            asked=[],
            held=False,
            now=NOW,
            key=f"ask:{n}",
        )
    assert await store.asks.count_open_everywhere() == 3
