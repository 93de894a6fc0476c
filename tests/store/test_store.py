"""The SQLite store on real files: migrations, idempotency, caps, counts, group commit."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.records import HelpEvent, UserProfile
from bot.domain.settings import UserPreferences, WorkspaceSettings
from storage import Store, open_store
from storage.backends import sqlite as db
from storage.errors import IntegrityError
from storage.migrate import load_migrations

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def help_from(
    giver: str, receiver: str = "UALICE", *, key: str, at: datetime = NOW, team: str = "T1"
) -> HelpEvent:
    return HelpEvent(team, giver, receiver, "note", "command", "C1", at, key=key)


async def test_fresh_database_is_migrated_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "fresh.db")
    try:
        assert await store.schema_version() == max(m.version for m in load_migrations("sqlite"))
    finally:
        await store.close()
    conn = sqlite3.connect(tmp_path / "fresh.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY version")]
    assert names[0] == "0001_initial"
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables - UNSCOPED_TABLES:
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        assert "team_id" in columns, f"{table} is not scoped by team"


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    for _ in range(2):
        store = await Store.open(tmp_path / "again.db")
        await store.close()
    conn = await db.connect(tmp_path / "again.db")
    try:
        assert await db.migrate(conn) == []
    finally:
        await conn.close()


# Install flows in progress have no team yet.
# topic_build: the topic index build's progress over the whole database (one row), no workspace data.
UNSCOPED_TABLES = {"schema_migrations", "sqlite_sequence", "oauth_states", "topic_build"}


async def test_postgresql_is_migrated_once_even_by_concurrent_starters(postgres_url: str) -> None:
    stores = await asyncio.gather(*(open_store(postgres_url) for _ in range(3)))
    try:
        assert {await s.schema_version() for s in stores} == {load_migrations("sqlite")[-1].version}
        names = await stores[0].db.fetchall("SELECT name FROM schema_migrations ORDER BY version")
        assert [row["name"] for row in names] == [m.name for m in load_migrations("sqlite")]
        tables = await stores[0].db.fetchall(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
            " GROUP BY table_name HAVING count(*) FILTER (WHERE column_name = 'team_id') = 0"
        )
        assert {row[0] for row in tables} <= UNSCOPED_TABLES
    finally:
        for store in stores:
            await store.close()


async def test_the_same_delivery_records_once(store: Store) -> None:
    assert await store.events.record([help_from("UBOB", key="ev1:UBOB")]) == [True]
    assert await store.events.record([help_from("UBOB", key="ev1:UBOB")]) == [False]
    assert len([e async for e in store.events.export()]) == 1


async def test_keys_are_scoped_by_team(store: Store) -> None:
    assert await store.events.record([help_from("UBOB", key="k", team="T1")]) == [True]
    assert await store.events.record([help_from("UBOB", key="k", team="T2")]) == [True]


async def test_a_pair_counts_three_times_a_day_then_is_kept_but_not_counted(
    store: Store,
) -> None:
    events = [help_from("UBOB", key=f"k{i}", at=NOW + timedelta(minutes=i)) for i in range(5)]
    await store.events.record(events)
    tomorrow = help_from("UBOB", key="next-day", at=NOW + timedelta(days=1))
    other = help_from("UCAROL", key="other-giver")
    await store.events.record([tomorrow, other])
    counted = [e.counted async for e in store.events.export()]
    assert counted == [True, True, True, True, False, False, True]  # by time: Carol's lands second
    ledger = await store.events.ledger(
        team_id="T1", user_id="UALICE", since=NOW - timedelta(days=90)
    )
    assert ledger.received_total == 5  # 3 from Bob today, 1 tomorrow, 1 from Carol


async def test_ledger_counts_the_window_and_all_time(store: Store) -> None:
    await store.events.record(
        [
            help_from("UBOB", key="old", at=NOW - timedelta(days=200)),
            help_from("UBOB", key="new", at=NOW - timedelta(days=1)),
            help_from("UCAROL", key="c", at=NOW - timedelta(days=2)),
            help_from("UALICE", "UBOB", key="given", at=NOW - timedelta(days=3)),
            help_from("UBOB", key="other-team", team="T2"),
        ]
    )
    ledger = await store.events.ledger(
        team_id="T1", user_id="UALICE", since=NOW - timedelta(days=90)
    )
    assert (ledger.received_recent, ledger.received_total) == (2, 3)
    assert (ledger.given_recent, ledger.given_total) == (1, 1)
    assert [(p.user_id, p.count) for p in ledger.top_helpers] == [("UBOB", 2), ("UCAROL", 1)]
    assert (ledger.colleagues_helping, ledger.colleagues_helped) == (2, 1)  # in the window


async def test_concurrent_writes_share_commits_and_a_bad_one_fails_alone(
    store: Store,
) -> None:
    good = [store.events.record([help_from("UBOB", key=f"k{i}")]) for i in range(50)]

    async def broken(conn: object) -> None:
        raise ValueError("bad write")

    results = await asyncio.gather(*good, store.db.write(broken), return_exceptions=True)
    assert isinstance(results[-1], ValueError)
    assert all(r == [True] for r in results[:-1])
    assert len([e async for e in store.events.export()]) == 50


async def test_a_constraint_violation_rolls_back_only_its_own_event_batch(
    store: Store,
) -> None:
    with pytest.raises(IntegrityError):
        # giver == receiver violates the CHECK: the whole call is atomic.
        await store.events.record([help_from("UBOB", key="ok"), help_from("UALICE", key="self")])
    assert [e async for e in store.events.export()] == []


async def test_profiles_and_preferences_round_trip(store: Store) -> None:
    profile = UserProfile("T1", "UBOB", name="bob", tz="Asia/Tokyo", locale="ja-JP", fetched_at=NOW)
    await store.profiles.save(profile)
    assert await store.profiles.get(team_id="T1", user_id="UBOB") == profile
    assert await store.profiles.get(team_id="T2", user_id="UBOB") is None

    assert await store.preferences.workspace("T1") == WorkspaceSettings()
    await store.preferences.save_workspace(
        "T1", WorkspaceSettings(threshold=5, policy="strict"), now=NOW
    )
    assert (await store.preferences.workspace("T1")).threshold == 5
    assert (await store.preferences.workspace("T2")).threshold == 3

    await store.preferences.save_user("T1", "UBOB", UserPreferences(nudges=False), now=NOW)
    assert not (await store.preferences.user("T1", "UBOB")).nudges


def test_settings_tolerate_unknown_and_missing_keys() -> None:
    settings = WorkspaceSettings.from_json(
        {"threshold": 4, "retired_setting": 1, "reaction_emoji": ["tada"]}
    )
    assert (
        settings.threshold == 4
        and settings.reaction_emoji == ("tada",)
        and settings.window_days == 90
    )


async def test_writes_after_close_are_refused(database_url: str) -> None:
    store = await open_store(database_url)
    await store.close()
    with pytest.raises(RuntimeError, match="closed"):
        await store.events.record([help_from("UBOB", key="late")])
