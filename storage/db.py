"""SQLite plumbing: connections, migrations, and a group-committing single writer.

One writer connection serialises every write; concurrent writes that arrive while a
transaction is in flight are batched into the next one, so many requests share one
commit (and one fsync) instead of paying for one each. Reads use their own connection:
in WAL mode they never wait for the writer.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.errors import IntegrityError

log = logging.getLogger(__name__)
T = TypeVar("T")
WriteOp = Callable[[aiosqlite.Connection], Awaitable[Any]]
MAX_BATCH = 256


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """The numbered ``NNNN_name.sql`` files shipped in ``storage/migrations``, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        if entry.name.endswith(".sql") and entry.name[:4].isdigit():
            found.append(Migration(int(entry.name[:4]), entry.name[:-4], entry.read_text()))
    return sorted(found, key=lambda m: m.version)


async def connect(path: str | Path, *, readonly: bool = False) -> aiosqlite.Connection:
    if readonly:
        conn = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    else:
        conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute("PRAGMA busy_timeout = 10000")
    await conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        await conn.execute("PRAGMA journal_mode = WAL")
        # FULL: an acknowledged write survives power loss, not only a process crash.
        await conn.execute("PRAGMA synchronous = FULL")
    return conn


async def migrate(conn: aiosqlite.Connection, *, upto: int | None = None) -> list[str]:
    """Apply pending migrations (up to version ``upto``), each in its own transaction; return
    the names applied."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied: list[str] = []
    for migration in load_migrations():
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


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Writer:
    """Runs write operations on one connection, batching concurrent ones into one commit.

    A write may run twice (the first run rolled back) when a batch-mate fails, so it must act
    only through the connection it is given.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._queue: asyncio.Queue[tuple[WriteOp, asyncio.Future[Any]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    @property
    def connection(self) -> aiosqlite.Connection:
        return self._conn

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="giveback-store-writer")

    async def stop(self) -> None:
        """Finish what is queued, then stop."""
        if self._task is None:
            return
        await self._queue.join()
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        self._task = None

    async def run(self, op: WriteOp) -> Any:
        if self._task is None:
            raise RuntimeError("the store is closed")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        await self._queue.put((op, future))
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._commit(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def _commit(self, batch: list[tuple[WriteOp, asyncio.Future[Any]]]) -> None:
        # Fast path: the whole batch in one transaction, no savepoints (two fewer round trips
        # to the SQLite thread per write). If any write fails, roll back and replay the batch
        # isolating each write in a savepoint, so one bad write cannot sink its batch-mates.
        outcome = await self._transaction(batch, isolate=False)
        if isinstance(outcome, Exception) and len(batch) > 1:
            outcome = await self._transaction(batch, isolate=True)
        if isinstance(outcome, Exception):
            for _, future in batch:
                if not future.done():
                    future.set_exception(_portable(outcome))
            return
        for future, value in outcome:
            if not future.done():
                if isinstance(value, _Failed):
                    future.set_exception(_portable(value.error))
                else:
                    future.set_result(value)

    async def _transaction(
        self, batch: list[tuple[WriteOp, asyncio.Future[Any]]], *, isolate: bool
    ) -> list[tuple[asyncio.Future[Any], Any]] | Exception:
        """Run the batch in one transaction; return each write's value, or what sank it."""
        results: list[tuple[asyncio.Future[Any], Any]] = []
        try:
            await self._conn.execute("BEGIN IMMEDIATE")
            for op, future in batch:
                if not isolate:
                    results.append((future, await op(self._conn)))
                    continue
                await self._conn.execute("SAVEPOINT op")
                try:
                    value = await op(self._conn)
                except Exception as exc:
                    await self._conn.execute("ROLLBACK TO op")
                    value = _Failed(exc)
                await self._conn.execute("RELEASE op")
                results.append((future, value))
            await self._conn.execute("COMMIT")
        except Exception as exc:
            if isolate:
                log.exception("store write batch failed")
            try:
                await self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            return exc
        return results


@dataclass(frozen=True)
class _Failed:
    error: Exception


def _portable(exc: Exception) -> Exception:
    """SQLite's constraint errors as the store's own, which PostgreSQL raises too."""
    if isinstance(exc, sqlite3.IntegrityError) and not isinstance(exc, IntegrityError):
        portable = IntegrityError(str(exc))
        portable.__cause__ = exc
        return portable
    return exc


@dataclass
class Database:
    """What each area of the store shares: the group-committing writer and a read connection."""

    writer: Writer
    reader: aiosqlite.Connection
    dialect = "sqlite"
    skip_locked = ""  # SQLite's single writer never has two sweeps racing for a row

    async def write(self, op: WriteOp) -> Any:
        return await self.writer.run(op)

    # execute_fetchall: one round trip to the SQLite thread instead of two.
    async def fetchone(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        rows = await self.reader.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return list(await self.reader.execute_fetchall(sql, params))

    async def schema_version(self) -> int:
        return await schema_version(self.reader)

    async def close(self) -> None:
        """Finish queued writes, then close both connections."""
        await self.writer.stop()
        await self.reader.close()
        await self.writer.connection.close()
