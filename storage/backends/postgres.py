"""PostgreSQL (asyncpg) behind the same small API as storage.backends.sqlite.Database.

Each write op runs in its own SERIALIZABLE transaction on a pooled connection and is retried
when PostgreSQL reports a serialization failure or deadlock: ops written for SQLite's single
writer (read, then write) stay correct when several bot processes share one database. Ops
must therefore be safe to run again — they are, as long as they only touch the connection.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import asyncpg

from storage.backends.postgres_face import Connection, Cursor, _integrity_errors, translate
from storage.dbtypes import WriteOp
from storage.migrate import SCHEMA_MIGRATIONS, load_migrations
from storage.observe import IGNORED, StoreObserver

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
RETRYABLE = (asyncpg.SerializationError, asyncpg.DeadlockDetectedError)
MIGRATION_LOCK = 0x6769766562  # pg_advisory_xact_lock key: one migrator at a time
STREAM_PREFETCH = 500


async def apply_migrations(conn: asyncpg.Connection, *, upto: int | None = None) -> list[str]:
    """Apply pending migrations (up to version ``upto``), each in its own transaction; safe
    with concurrent starters."""
    applied: list[str] = []
    for migration in load_migrations("postgresql"):
        if upto is not None and migration.version > upto:
            break
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute(SCHEMA_MIGRATIONS)
            done = await conn.fetchval(
                "SELECT 1 FROM schema_migrations WHERE version = $1", migration.version
            )
            if done is None:
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    datetime.now(UTC).isoformat(),
                )
                applied.append(migration.name)
    return applied


class Reader:
    """``db.reader.execute(sql, params)``: awaited, all rows; ``async with``, streamed rows."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    def execute(self, sql: str, params: Any = ()) -> _Stream:
        return _Stream(self._pool, sql, params)


class _Stream:
    def __init__(self, pool: asyncpg.Pool, sql: str, params: Any) -> None:
        self._pool, self._sql, self._params = pool, sql, params
        self._conn: asyncpg.Connection | None = None
        self._transaction: Any = None

    def __await__(self) -> Any:
        return self._all().__await__()

    async def _all(self) -> Cursor:
        async with self._pool.acquire() as conn:
            return await Connection(conn).execute(self._sql, self._params)

    async def __aenter__(self) -> _Rows:
        sql, args = translate(self._sql, self._params)
        self._conn = await self._pool.acquire()
        # Server-side cursors live in a transaction; REPEATABLE READ gives one snapshot.
        self._transaction = self._conn.transaction(isolation="repeatable_read", readonly=True)
        await self._transaction.start()
        return _Rows(self._conn.cursor(sql, *args, prefetch=STREAM_PREFETCH))

    async def __aexit__(self, *exc: object) -> None:
        assert self._conn is not None
        try:
            await self._transaction.rollback()
        finally:
            await self._pool.release(self._conn)


class _Rows:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._cursor.__aiter__()


class PgDatabase:
    """The Database API (write, fetchone, fetchall, reader) over an asyncpg pool."""

    dialect = "postgresql"  # storage.dialect.POSTGRESQL holds its SQL fragments

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self.reader = Reader(pool)
        self._closed = False
        self.observer: StoreObserver = IGNORED

    @classmethod
    async def open(cls, url: str, *, migrate: bool = True, pool_size: int = 10) -> PgDatabase:
        pool = await asyncpg.create_pool(
            url,
            min_size=1,
            max_size=pool_size,
            # asyncpg prepares every statement, and after five runs PostgreSQL may switch to
            # one generic plan for all parameters. The ledger is skewed (a few people hold
            # most rows), so a plan that suits the median person took the busiest 1.6 s
            # instead of 1 ms: plan each execution for its own parameters.
            server_settings={"plan_cache_mode": "force_custom_plan"},
        )
        if migrate:
            async with pool.acquire() as conn:
                await apply_migrations(conn)
        return cls(pool)

    async def write(self, op: WriteOp, *, locked: bool = False) -> Any:
        """Run ``op`` in one SERIALIZABLE transaction, retried on serialization failures.

        ``locked``: the op takes its own advisory locks for whatever it must see alone (the
        help-event insert locks each pair), so it runs READ COMMITTED. Under load, SSI's page
        level read tracking made concurrent thanks fail each other a dozen times over.
        """
        if self._closed:
            raise RuntimeError("the store is closed")
        started = time.perf_counter()
        try:
            return await self._write(op, locked)
        finally:
            self.observer.write_seconds(time.perf_counter() - started)

    async def _write(self, op: WriteOp, locked: bool) -> Any:
        isolation = "read_committed" if locked else "serializable"
        async with self._pool.acquire() as conn:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    async with conn.transaction(isolation=isolation):
                        return await op(Connection(conn))
                except RETRYABLE:
                    if attempt == MAX_ATTEMPTS:
                        raise
                    await asyncio.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 6)))
        raise AssertionError("unreachable")

    async def fetchone(self, sql: str, params: Any = ()) -> Any:
        translated, args = translate(sql, params)
        with _integrity_errors():
            return await self._pool.fetchrow(translated, *args)

    async def fetchall(self, sql: str, params: Any = ()) -> list[Any]:
        translated, args = translate(sql, params)
        return list(await self._pool.fetch(translated, *args))

    async def schema_version(self) -> int:
        return int(
            await self._pool.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations")
        )

    async def flush_erased(self) -> None:
        """Nothing to do at once: the old row versions an UPDATE or DELETE leaves behind are
        invisible to every query and reclaimed by autovacuum; PostgreSQL's own WAL segments are
        recycled at checkpoints (README, "What forget me cannot reach")."""

    async def ping(self) -> None:
        """Raise unless the server answers (asyncpg's own errors, or OSError)."""
        await self._pool.fetchval("SELECT 1")

    async def close(self) -> None:
        self._closed = True
        await self._pool.close()
