"""Copy a whole ledger from one store to another (SQLite <-> PostgreSQL), verifying counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from storage.dbtypes import Connection
from storage.dialect import dialect_of
from storage.migrate import load_migrations
from storage.store import Store

BATCH = 1000
Progress = Callable[[str, int, int], None]  # (table, rows copied, rows in table)


class TransferError(Exception):
    """The copy cannot start or did not add up; the message says which and why."""


# Running totals kept by triggers (on help_events, asks, ask_people): the target builds its own
# as the rows arrive.
DERIVED = {"help_daily", "help_pairs", "favour_daily"}
# One row of the database's own state, made by the migrations: set to the source's, not copied.
STATE = {"topic_build"}


def tables_in_order() -> list[str]:
    """Every table the migrations create, in creation order (parents before children), except
    the derived ones."""
    found: list[str] = []
    for migration in load_migrations("sqlite"):
        for verb, name in re.findall(
            r"(CREATE|DROP) TABLE\s+(?:IF (?:NOT )?EXISTS\s+)?(\w+)", migration.sql, re.I
        ):
            if verb.upper() == "DROP":
                found = [table for table in found if table != name]
            elif name not in found and name not in DERIVED | STATE:
                found.append(name)
    return found


async def copy_store(
    source: Store, target: Store, progress: Progress | None = None
) -> dict[str, int]:
    """Copy every table; return rows per table. Refuses a target that already holds data."""
    if await source.schema_version() != await target.schema_version():
        raise TransferError("source and target are at different schema versions")
    tables = tables_in_order()
    for table in tables:
        if await _count(target, table):
            raise TransferError(f"the target already has rows in {table}; copy into an empty one")
    copied = {table: await _copy_table(source, target, table, progress) for table in tables}
    await _copy_state(source, target)
    for table in [*tables, *sorted(DERIVED)]:  # the totals must come out the same as well
        if (have := await _count(target, table)) != (want := await _count(source, table)):
            raise TransferError(f"{table}: copied {have} rows but the source has {want}")
    return copied


async def _copy_table(source: Store, target: Store, table: str, progress: Progress | None) -> int:
    """Copy one table in batches, reading it as one stream; return the rows copied."""
    total = await _count(source, table)
    columns = await _columns(source, table)
    if dialect_of(source.db).hidden_rowid and "rowid" in await _columns(target, table):
        columns.append("rowid")  # SQLite's insertion order, an explicit column there
    done = 0
    if progress:
        progress(table, 0, total)
    batch: list[tuple[Any, ...]] = []
    names = ", ".join(columns)  # names come from the schema
    async with source.db.reader.execute(f"SELECT {names} FROM {table}") as cursor:
        async for row in cursor:
            batch.append(tuple(row[c] for c in columns))
            if len(batch) >= BATCH:
                done += await _insert(target, table, columns, batch)
                batch = []
                if progress:
                    progress(table, done, total)
    if batch:
        done += await _insert(target, table, columns, batch)
    if progress:
        progress(table, done, total)
    await _advance_identities(target, table, columns)
    return done


async def _copy_state(source: Store, target: Store) -> None:
    """The topic index build's progress: the index tables were copied as they are, so the
    target carries on (or is done) exactly where the source was."""
    row = await source.db.fetchone(
        "SELECT build_until, done_team, done_helper, counted FROM topic_build WHERE id = 1"
    )
    if row is None:
        return

    async def write(conn: Connection) -> None:
        await conn.execute(
            "UPDATE topic_build SET build_until = ?, done_team = ?, done_helper = ?, counted = ?"
            " WHERE id = 1",
            (int(row[0]), row[1], row[2], int(row[3])),
        )

    await target.db.write(write)


async def _count(store: Store, table: str) -> int:
    row = await store.db.fetchone(f"SELECT count(*) FROM {table}")
    return int(row[0]) if row else 0


async def _columns(store: Store, table: str) -> list[str]:
    rows = await store.db.fetchall(dialect_of(store.db).table_columns, (table,))
    return [row[0] for row in rows]


async def _insert(store: Store, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> int:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # names come from the schema

    async def write(conn: Connection) -> None:
        await conn.executemany(sql, rows)

    await store.db.write(write)
    return len(rows)


async def _advance_identities(store: Store, table: str, columns: list[str]) -> None:
    """Explicit ids were copied: move the identity sequences past them, where there are any."""
    advance = dialect_of(store.db).advance_identity
    if advance is None:
        return
    for column in ("id", "rowid"):
        if column in columns:
            # Table and column names come from the schema, never from input.
            await _execute(store, advance.format(table=table, column=column))


async def _execute(store: Store, sql: str) -> None:
    async def write(conn: Connection) -> None:
        await conn.execute(sql)

    await store.db.write(write)
