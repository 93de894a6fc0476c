"""SQLite plumbing: connections, migrations, and a group-committing single writer.

One writer connection serialises every write; concurrent writes that arrive while a
transaction is in flight are batched into the next one, so many requests share one
commit (and one fsync) instead of paying for one each. Reads use their own connection:
in WAL mode they never wait for the writer.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.backends import sqlite_face
from storage.dbtypes import WriteOp
from storage.errors import IntegrityError, StoreUnavailable
from storage.migrate import SCHEMA_MIGRATIONS, load_migrations
from storage.observe import IGNORED, StoreObserver

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_BATCH = 256


async def connect(path: str | Path, *, readonly: bool = False) -> aiosqlite.Connection:
    if readonly:
        conn = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    else:
        conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in pragmas(readonly=readonly):
        await conn.execute(pragma)
    return conn


def pragmas(*, readonly: bool) -> list[str]:
    common = ["PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON"]
    if readonly:
        return common
    # FULL: an acknowledged write survives power loss, not only a process crash.
    # secure_delete: deleted and overwritten content is zeroed, so what forget-me erased is not
    # left in free space of the file.
    return [
        *common,
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA secure_delete = ON",
    ]


def connect_writer(path: str | Path) -> sqlite3.Connection:
    """The writer's plain connection (used from the writer's thread only)."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    for pragma in pragmas(readonly=False):
        conn.execute(pragma)
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


class Writer:
    """Runs write operations on one connection, batching concurrent ones into one commit.

    The connection lives in the writer's own thread, and each batch runs there whole (see
    storage/backends/sqlite_face.py): the event loop hands over a batch and gets back its results.
    A write may run twice (the first run rolled back) when a batch-mate fails, so it must act
    only through the connection it is given.
    """

    def __init__(self, conn: sqlite3.Connection, thread: ThreadPoolExecutor) -> None:
        self._conn = conn
        self._face = sqlite_face.Connection(conn)
        self._thread = thread
        self._pending: list[tuple[WriteOp, asyncio.Future[Any]]] = []
        self._busy = False  # a batch is in the thread
        self._idle = asyncio.Event()
        self._idle.set()
        self._open = False
        self.observer: StoreObserver = IGNORED

    @classmethod
    async def open(cls, path: str | Path) -> Writer:
        thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="giveback-store-writer")
        loop = asyncio.get_running_loop()
        try:
            conn = await loop.run_in_executor(thread, connect_writer, path)
        except BaseException:
            thread.shutdown(wait=False)
            raise
        return cls(conn, thread)

    def start(self) -> None:
        self._open = True

    async def stop(self) -> None:
        """Take no more writes; finish what is queued."""
        self._open = False
        await self._idle.wait()

    async def close(self) -> None:
        """Finish what is queued, then close the connection and end the thread."""
        await self.stop()
        await asyncio.get_running_loop().run_in_executor(self._thread, self._conn.close)
        self._thread.shutdown(wait=True)

    async def checkpoint(self) -> tuple[int, int, int]:
        """Copy the write-ahead log into the database file and truncate it to nothing: the log
        keeps old page images (a note before it was erased) until it is checkpointed.

        Runs in the writer's thread between two batches, outside any transaction. Returns
        SQLite's (busy, log frames, frames checkpointed); busy 1 means a reader held on and the
        log was not emptied this time (the next checkpoint will)."""
        loop = asyncio.get_running_loop()
        row = await loop.run_in_executor(
            self._thread,
            lambda: self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone(),
        )
        return int(row[0]), int(row[1]), int(row[2])

    async def run(self, op: WriteOp) -> Any:
        if not self._open:
            raise RuntimeError("the store is closed")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((op, future))
        if not self._busy:
            self._next_batch()
        return await future

    # No writer task: the first write finding the thread idle hands it over at once, and the
    # end of each batch hands over the writes that queued meanwhile. Each hand-over is one
    # callback on the event loop, not a task waking up (a busy loop makes every wake-up wait).
    def _next_batch(self) -> None:
        batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
        self.observer.batch_size(len(batch))
        self._busy = True
        self._idle.clear()
        loop = asyncio.get_running_loop()
        done = self._thread.submit(self._commit, [op for op, _ in batch])
        done.add_done_callback(lambda d: loop.call_soon_threadsafe(self._finished, batch, d))

    def _finished(
        self, batch: list[tuple[WriteOp, asyncio.Future[Any]]], done: Future[Any]
    ) -> None:
        try:
            outcome = done.result()
        except BaseException as exc:  # the thread itself failed: so did every write in it
            outcome = RuntimeError(f"the store writer failed: {exc!r}")
        _settle([future for _, future in batch], outcome)
        self._busy = False
        if self._pending:
            self._next_batch()
        else:
            self._idle.set()

    def _commit(self, ops: list[WriteOp]) -> list[Any] | Exception:
        """In the writer's thread: every op's value (or _Failed), or what sank the batch."""
        # Fast path: the whole batch in one transaction, no savepoints. If any write fails,
        # roll back and replay the batch isolating each write in a savepoint, so one bad
        # write cannot sink its batch-mates.
        outcome = self._transaction(ops, isolate=False)
        if isinstance(outcome, Exception) and len(ops) > 1:
            outcome = self._transaction(ops, isolate=True)
        return outcome

    def _transaction(self, ops: list[WriteOp], *, isolate: bool) -> list[Any] | Exception:
        """Run the ops in one transaction; return each op's value, or what sank them."""
        conn, face = self._conn, self._face
        results: list[Any] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for op in ops:
                if not isolate:
                    results.append(sqlite_face.run_to_completion(op(face)))
                    continue
                conn.execute("SAVEPOINT op")
                try:
                    value = sqlite_face.run_to_completion(op(face))
                except Exception as exc:
                    conn.execute("ROLLBACK TO op")
                    value = _Failed(exc)
                conn.execute("RELEASE op")
                results.append(value)
            conn.execute("COMMIT")
        except Exception as exc:
            if isolate:
                log.exception("store write batch failed")
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            return exc
        return results


def _identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _settle(futures: list[asyncio.Future[Any]], outcome: list[Any] | Exception) -> None:
    if isinstance(outcome, Exception):
        for future in futures:
            if not future.done():
                future.set_exception(_portable(outcome))
        return
    for future, value in zip(futures, outcome, strict=True):
        if not future.done():
            if isinstance(value, _Failed):
                future.set_exception(_portable(value.error))
            else:
                future.set_result(value)


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
