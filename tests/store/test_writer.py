"""The group-committing writer: concurrent writes share a commit; a bad one sinks only itself."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest

from storage import Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """SQLite only: the group-committing writer is SQLite's (PostgreSQL runs each op alone)."""
    opened = await Store.open(tmp_path / "writer.db")
    yield opened
    await opened.close()


def insert(key: str):
    async def op(conn: aiosqlite.Connection) -> str:
        await conn.execute(
            "INSERT INTO workspace_settings (team_id, settings, updated_at) VALUES (?, '{}', 0)",
            (key,),
        )
        return key

    return op


async def broken(conn: aiosqlite.Connection) -> None:
    await conn.execute("INSERT INTO workspace_settings (team_id, updated_at) VALUES ('T-half', 0)")
    await conn.execute("INSERT INTO no_such_table VALUES (1)")


async def teams(store: Store) -> list[str]:
    rows = await store.db.fetchall("SELECT team_id FROM workspace_settings ORDER BY team_id")
    return [row[0] for row in rows]


async def test_a_failing_write_fails_alone_and_leaves_nothing_half_done(
    store: Store,
) -> None:
    results = await asyncio.gather(
        store.db.write(insert("T1")),
        store.db.write(broken),
        store.db.write(insert("T2")),
        return_exceptions=True,
    )
    assert results[0] == "T1" and results[2] == "T2"
    assert isinstance(results[1], sqlite3.OperationalError)
    assert await teams(store) == ["T1", "T2"]  # no 'T-half'


async def test_a_failing_write_alone_raises_to_its_caller(store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await store.db.write(broken)
    assert await teams(store) == []
    assert await store.db.write(insert("T3")) == "T3"


async def test_many_concurrent_writes_all_land(store: Store) -> None:
    keys = [f"T{i:03d}" for i in range(300)]
    assert await asyncio.gather(*(store.db.write(insert(k)) for k in keys)) == keys
    assert await teams(store) == keys


async def test_a_write_that_awaits_anything_but_its_connection_fails_alone(
    store: Store,
) -> None:
    # Batches run whole in the writer's thread (storage/sqlitesync.py): nothing else to await.
    async def waits(conn: aiosqlite.Connection) -> None:
        await conn.execute("INSERT INTO workspace_settings VALUES ('T-wait', '{}', 0)")
        await asyncio.sleep(0)

    results = await asyncio.gather(
        store.db.write(insert("T1")), store.db.write(waits), return_exceptions=True
    )
    assert results[0] == "T1"
    assert isinstance(results[1], RuntimeError)
    assert await teams(store) == ["T1"]


async def test_writes_see_the_cursor_as_aiosqlite_shows_it(store: Store) -> None:
    async def op(conn: aiosqlite.Connection) -> tuple[int, int | None, list[str], str]:
        cursor = await conn.execute(
            "INSERT INTO workspace_settings (team_id, settings, updated_at)"
            " VALUES ('TA', '{}', 0), ('TB', '{}', 0)"
        )
        async with conn.execute("SELECT team_id FROM workspace_settings ORDER BY 1") as rows:
            teams = [row["team_id"] async for row in rows]
        first = await (await conn.execute("SELECT team_id FROM workspace_settings")).fetchone()
        return cursor.rowcount, cursor.lastrowid, teams, first[0]

    rowcount, lastrowid, seen, first = await store.db.write(op)
    assert (rowcount, seen, first) == (2, ["TA", "TB"], "TA")
    assert lastrowid is not None
