"""The single SQLite writer: one connection, concurrent writes batched into one commit.

One writer connection serialises every write; concurrent writes that arrive while a
transaction is in flight are batched into the next one, so many requests share one
commit (and one fsync) instead of paying for one each.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.backends import sqlite_face
from storage.dbtypes import WriteOp
from storage.errors import IntegrityError
from storage.observe import IGNORED, StoreObserver

log = logging.getLogger(__name__)
MAX_BATCH = 256


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
