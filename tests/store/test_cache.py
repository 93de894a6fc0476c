"""The in-memory cache in front of settings and profiles never serves a value older than a write."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

import pytest

from bot.domain.records import UserProfile
from bot.domain.settings import WorkspaceSettings
from storage import Store, open_store, profiles
from storage.cache import MISSING, TtlCache

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_entries_expire_and_the_oldest_are_evicted() -> None:
    now = [0.0]
    cache: TtlCache[int] = TtlCache(maxsize=2, ttl=10, clock=lambda: now[0])
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)  # evicts b, the least recently used
    assert cache.get("b") is MISSING and cache.get("a") == 1
    now[0] = 11
    assert cache.get("a") is MISSING


def test_a_read_that_raced_a_write_is_not_cached() -> None:
    cache: TtlCache[int] = TtlCache(maxsize=10, ttl=10)
    stamp = cache.stamp()
    cache.drop("a")  # a write happened while the read was in flight
    cache.put("a", 1, stamp)
    assert cache.get("a") is MISSING


async def test_workspace_settings_are_fresh_after_a_save(store: Store) -> None:
    assert (await store.preferences.workspace("T1")).window_days == WorkspaceSettings().window_days
    changed = dataclasses.replace(WorkspaceSettings(), window_days=7)
    await store.preferences.save_workspace("T1", changed, now=NOW)
    assert (await store.preferences.workspace("T1")).window_days == 7


async def test_profiles_are_fresh_after_a_save_even_with_reads_in_flight(
    store: Store,
) -> None:
    assert await store.profiles.get(team_id="T1", user_id="U1") is None
    profile = UserProfile("T1", "U1", name="one", tz="Asia/Tokyo", fetched_at=NOW)
    reads = [store.profiles.get(team_id="T1", user_id="U1") for _ in range(20)]
    await asyncio.gather(store.profiles.save(profile), *reads)
    saved = await store.profiles.get(team_id="T1", user_id="U1")
    assert saved is not None and saved.tz == "Asia/Tokyo"


async def test_personal_preferences_are_fresh_after_a_save_and_after_forget(
    store: Store,
) -> None:
    assert not (await store.preferences.user("T1", "U1")).home_seen  # cached as the default
    seen = dataclasses.replace(await store.preferences.user("T1", "U1"), home_seen=True)
    await store.preferences.save_user("T1", "U1", seen, now=NOW)
    assert (await store.preferences.user("T1", "U1")).home_seen
    await store.privacy.forget(team_id="T1", user_id="U1")
    assert not (await store.preferences.user("T1", "U1")).home_seen


async def test_settings_and_profiles_are_cached_on_both_backends(store: Store) -> None:
    """A thanks reads them several times; on PostgreSQL too (several processes: short TTL)."""
    await store.profiles.save(UserProfile("T1", "U1", name="one", fetched_at=NOW))
    assert await store.preferences.workspace("T1") is await store.preferences.workspace("T1")
    assert await store.preferences.user("T1", "U1") is await store.preferences.user("T1", "U1")
    profile = await store.profiles.get(team_id="T1", user_id="U1")
    assert profile is await store.profiles.get(team_id="T1", user_id="U1")


async def test_a_setting_saved_by_another_process_is_seen_once_the_copy_expires(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profiles, "SHARED_CACHE_TTL", 0.5)
    monkeypatch.setattr(profiles, "CACHE_TTL", 0.5)
    mine, other = await open_store(database_url), await open_store(database_url)
    try:
        assert (await mine.preferences.workspace("T1")).window_days != 7  # now in my copy
        changed = dataclasses.replace(WorkspaceSettings(), window_days=7)
        await other.preferences.save_workspace("T1", changed, now=NOW)
        for _ in range(100):  # bounded: a copy that never expires fails here
            if (await mine.preferences.workspace("T1")).window_days == 7:
                break
            await asyncio.sleep(0.1)
        assert (await mine.preferences.workspace("T1")).window_days == 7
    finally:
        await mine.close()
        await other.close()
