"""SQLite plumbing: connections, pragmas, migrations, and the Database the areas use.

Writes go through one group-committing writer (storage.backends.sqlite_writer); reads use
their own connection: in WAL mode they never wait for the writer.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.backends.sqlite_writer import Writer, pragmas
from storage.dbtypes import WriteOp
from storage.errors import StoreUnavailable
from storage.migrate import SCHEMA_MIGRATIONS, load_migrations
from storage.observe import StoreObserver

log = logging.getLogger(__name__)
T = TypeVar("T")


async def connect(path: str | Path, *, readonly: bool = False) -> aiosqlite.Connection:
    if readonly:
        conn = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    else:
        conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in pragmas(readonly=readonly):
        await conn.execute(pragma)
    return conn


async def migrate(conn: aiosqlite.Connection, *, upto: int | None = None) -> list[str]:
    """Apply pending migrations (up to version ``upto``), each in its own transaction; return
    the names applied."""
    await conn.execute(SCHEMA_MIGRATIONS)
    applied: list[str] = []
    for migration in load_migrations("sqlite"):
        if upto is not None and migration.version > upto:
            break
        await conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = await conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            )
            if await cursor.fetchone() is None:
                for statement in _statements(migration.sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, datetime.now(UTC).isoformat()),
                )
                applied.append(migration.name)
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
    return applied


async def schema_version(conn: aiosqlite.Connection) -> int:
    cursor = await conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


def _statements(script: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about quotes)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in current.splitlines()
    ):
        statements.append(current.strip())
    return statements


def _identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


@dataclass
class Database:
    """What each area of the store shares: the group-committing writer and a read connection."""

    writer: Writer
    reader: aiosqlite.Connection
    path: str | None = None  # the file, to notice when it is gone (see ping)
    dialect = "sqlite"  # storage.dialect.SQLITE holds its SQL fragments

    def __post_init__(self) -> None:
        self._file = _identity(self.path) if self.path else None

    @property
    def observer(self) -> StoreObserver:
        return self.writer.observer

    @observer.setter
    def observer(self, observer: StoreObserver) -> None:
        self.writer.observer = observer

    async def write(self, op: WriteOp, *, locked: bool = False) -> Any:
        """Run ``op`` in the group commit. SQLite has one writer, so every write is serial
        already; ``locked`` matters only to PostgreSQL (see PgDatabase.write)."""
        started = time.perf_counter()
        try:
            return await self.writer.run(op)
        finally:
            self.writer.observer.write_seconds(time.perf_counter() - started)

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers. Open connections keep reading
        a file that was deleted or replaced, so the file at the path must still be the one
        opened: otherwise every write from now on would go where nobody will read it."""
        if self.path is not None and _identity(self.path) != self._file:
            raise StoreUnavailable(f"{self.path} is no longer the database file opened")
        await self.reader.execute_fetchall("SELECT 1 FROM schema_migrations LIMIT 1")

    # execute_fetchall: one round trip to the SQLite thread instead of two.
    async def fetchone(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        rows = await self.reader.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return list(await self.reader.execute_fetchall(sql, params))

    async def schema_version(self) -> int:
        return await schema_version(self.reader)

    async def flush_erased(self) -> None:
        busy, _, _ = await self.writer.checkpoint()
        if busy:
            log.warning("the write-ahead log could not be emptied yet (a read was in progress)")

    async def close(self) -> None:
        """Finish queued writes, then close both connections."""
        await self.writer.stop()
        await self.reader.close()
        # The writer last: only a read-write connection, closing last, removes the WAL file.
        await self.writer.close()
