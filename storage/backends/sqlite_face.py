"""The aiosqlite-shaped face of a plain sqlite3 connection, for the writer's own thread.

Write ops are coroutines written against the small part of aiosqlite the areas use (see
storage/backends/postgres_face.py for the same face on PostgreSQL). Through this face every ``await`` on the
connection completes at once, so the writer drives a whole batch of ops to completion inside
its thread: one hop between the event loop and SQLite per commit, not one per statement.
Under load those hops (each a thread wake-up and a wait for the GIL) were most of the time a
request spent waiting for its write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Generator, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


class Cursor:
    """A sqlite3 cursor whose fetches are awaitable, as aiosqlite's are."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Any]:
        for row in self._cursor:
            yield row

    async def close(self) -> None:
        self._cursor.close()


class _Call:
    """What ``execute`` returns, as in aiosqlite: awaitable, or ``async with ... as cursor``.

    As in aiosqlite, the statement runs when awaited, not when ``execute`` is called.
    """

    def __init__(self, conn: sqlite3.Connection, sql: str, params: Any) -> None:
        self._conn, self._sql, self._params = conn, sql, params
        self._cursor: Cursor | None = None

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._run().__await__()

    async def _run(self) -> Cursor:
        self._cursor = Cursor(self._conn.execute(self._sql, self._params))
        return self._cursor

    async def __aenter__(self) -> Cursor:
        return await self._run()

    async def __aexit__(self, *exc: object) -> None:
        if self._cursor is not None:
            await self._cursor.close()


class Connection:
    """A sqlite3 connection that answers like ``aiosqlite.Connection``, without suspending."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Any = ()) -> _Call:
        return _Call(self.raw, sql, params)

    async def executemany(self, sql: str, seq_of_params: Iterable[Any]) -> Cursor:
        return Cursor(self.raw.executemany(sql, seq_of_params))

    async def execute_fetchall(self, sql: str, params: Any = ()) -> list[Any]:
        return self.raw.execute(sql, params).fetchall()


def run_to_completion(step: Awaitable[T]) -> T:
    """Run what a write op returned; it must never suspend (await only a :class:`Connection`)."""
    steps = step.__await__()
    try:
        next(steps)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    getattr(steps, "close", lambda: None)()
    raise RuntimeError("a write op awaited something other than its connection")
