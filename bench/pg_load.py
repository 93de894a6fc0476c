"""Copy a generated SQLite workspace into a PostgreSQL database migrated by the real store.

``load_workspace(sqlite_path, url)`` is the one function to adapt when the schema changes:

1. apply the store's PostgreSQL migrations numbered below ``MIGRATE_BEFORE_LOAD``;
2. drop help_events' secondary indexes and unique constraint, COPY the rows in (asyncpg
   ``copy_records_to_table``, binary), and rebuild them from their saved definitions — one
   sorted build each instead of 5M index insertions;
3. apply the remaining migrations, so one that backfills from help_events (aggregate tables)
   builds from the loaded rows in one pass, exactly as a real upgrade would; then VACUUM ANALYZE.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import asyncpg

from bench.common import progress
from storage.backends import postgres

MIGRATE_BEFORE_LOAD = 7  # migrations 0001..0006 before the rows; 0007 onwards after them
TABLES = (
    "help_events",
    "asks",
    "ask_people",
    "user_profiles",
    "workspace_settings",
    "user_preferences",
)
CHUNK = 50_000


async def load_workspace(sqlite_path: Path, url: str) -> dict[str, Any]:
    """Load every row of TABLES from ``sqlite_path`` into the (empty) database at ``url``."""
    started = time.perf_counter()
    conn = await asyncpg.connect(url)
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    try:
        await conn.execute("SET maintenance_work_mem = '512MB'")
        await postgres.apply_migrations(conn, upto=MIGRATE_BEFORE_LOAD - 1)
        rebuild = await _drop_secondary_indexes(conn, "help_events")
        for table in TABLES:
            counts[table] = await _copy(source, conn, table)
        with progress() as bar:
            task = bar.add_task("indexes, later migrations, VACUUM ANALYZE", total=len(rebuild) + 2)
            for statement in rebuild:
                await conn.execute(statement)
                bar.advance(task)
            for table in ("help_events", "asks"):  # ids were copied: continue past them
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            await postgres.apply_migrations(conn)  # the rest
            bar.advance(task)
            # What autovacuum does for a live database: without the visibility map set, every
            # index-only scan on freshly copied rows visits the heap as well.
            await conn.execute("VACUUM ANALYZE")
            bar.advance(task)
        size = await conn.fetchval("SELECT pg_database_size(current_database())")
    finally:
        source.close()
        await conn.close()
    return {"rows": counts, "seconds": time.perf_counter() - started, "database_mb": size / 1e6}


async def _drop_secondary_indexes(conn: asyncpg.Connection, table: str) -> list[str]:
    """Drop all but the primary key; return the statements that put them back."""
    constraints = await conn.fetch(
        "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint"
        " WHERE conrelid = $1::regclass AND contype = 'u'",
        table,
    )
    rebuild = []
    for row in constraints:
        await conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{row["conname"]}"')
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{row["conname"]}" {row["definition"]}')
    indexes = await conn.fetch(
        "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition"
        " FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT i.indisprimary",
        table,
    )
    for row in indexes:
        await conn.execute(f"DROP INDEX {row['name']}")
        rebuild.append(row["definition"])
    return rebuild


async def _copy(source: sqlite3.Connection, conn: asyncpg.Connection, table: str) -> int:
    total = source.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    # The columns the target has at this point of its migrations (later ones add the rest).
    there = set(
        await conn.fetchval(
            "SELECT array_agg(column_name::text) FROM information_schema.columns"
            " WHERE table_name = $1",
            table,
        )
    )
    columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})") if row[1] in there]
    cursor = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
    with progress() as bar:
        task = bar.add_task(f"copying {table} into PostgreSQL", total=total)
        while rows := cursor.fetchmany(CHUNK):
            await conn.copy_records_to_table(table, records=rows, columns=columns)
            bar.advance(task, len(rows))
    return int(total)
