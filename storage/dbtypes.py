"""What the area stores use from a database, whichever backend is behind it.

Areas are written once against these protocols. ``storage.backends.sqlite.Database`` (SQLite)
and ``storage.backends.postgres.PgDatabase`` both satisfy :class:`Database`; the connection a
write op receives is ``storage.backends.sqlite_face.Connection`` on SQLite and
``storage.backends.postgres_face.Connection`` on PostgreSQL, both shaped like the part of
``aiosqlite.Connection`` in :class:`Connection`. Moments are stored the same way on both
(:func:`to_epoch`, :func:`from_epoch`), so no area needs to import a backend.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol

from storage.observe import StoreObserver


class Cursor(Protocol):
    """The counts and rows of one statement; rows answer ``row["col"]`` and ``row[0]``."""

    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> int | None: ...

    async def fetchone(self) -> Any: ...

    async def fetchall(self) -> Iterable[Any]: ...

    def __aiter__(self) -> AsyncIterator[Any]: ...


class Statement(Protocol):
    """What ``execute`` returns: awaited, or ``async with ... as cursor``."""

    def __await__(self) -> Generator[Any, None, Cursor]: ...

    async def __aenter__(self) -> Cursor: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> None: ...


class Connection(Protocol):
    """The connection a write op runs on, inside the store's transaction."""

    def execute(self, sql: str, params: Any = ..., /) -> Statement: ...

    async def executemany(self, sql: str, seq_of_params: Iterable[Any], /) -> Cursor: ...


WriteOp = Callable[[Connection], Awaitable[Any]]


class Rows(Protocol):
    def __aiter__(self) -> AsyncIterator[Any]: ...


class Query(Protocol):
    """``async with reader.execute(sql, params) as rows: async for row in rows``."""

    async def __aenter__(self) -> Rows: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> None: ...


class Reader(Protocol):
    """Streams a large read (an export, a copy) instead of loading every row at once."""

    def execute(self, sql: str, params: Any = ..., /) -> Query: ...


class Database(Protocol):
    """Writes through ``write`` (one transaction per op, or per group of ops on SQLite);
    reads through ``fetchone``/``fetchall``, or ``reader`` for a stream."""

    @property
    def dialect(self) -> str: ...  # "sqlite" or "postgresql": a key of storage.dialect.DIALECTS

    @property
    def reader(self) -> Reader: ...

    observer: StoreObserver  # told about every write (storage.observe)

    async def write(self, op: WriteOp, *, locked: bool = False) -> Any: ...

    async def fetchone(self, sql: str, params: Any = ..., /) -> Any: ...

    async def fetchall(self, sql: str, params: Any = ..., /) -> list[Any]: ...

    async def schema_version(self) -> int: ...

    async def flush_erased(self) -> None: ...  # after forgetting: no old copy left in the files
    async def ping(self) -> None: ...  # raise unless the database answers (readiness)

    async def close(self) -> None: ...


# Moments are stored as unix seconds, UTC (INTEGER on SQLite, BIGINT on PostgreSQL): the same
# numbers, compared and subtracted the same way, on both backends.
def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
