"""The SQLite migrations and their PostgreSQL twins build the same schema.

Each set is applied to a fresh database (a SQLite file; a PostgreSQL database from the
``postgres_url`` fixture, skipped with its reason when PostgreSQL cannot start), and the two
are compared table by table:

- the same tables;
- the same columns by name, each with its type and whether it may hold NULL. Types are
  normalised to what the store relies on: SQLite's INTEGER and PostgreSQL's ``integer`` and
  ``bigint`` are all "integer" (SQLite's INTEGER holds 64 bits; the twins use BIGINT for unix
  times and ids, INTEGER for counts and 0/1 flags); TEXT and ``text`` are "text". Any other
  type is compared as it is spelled, so a new one shows up here;
- the same indexes: those the migrations name (``CREATE INDEX``) by name, columns, sort order,
  uniqueness and whether they are partial; those behind PRIMARY KEY and UNIQUE constraints,
  whose names each database makes up (``sqlite_autoindex_asks_1``, ``asks_pkey``), by kind
  and columns.

The differences that are meant are listed below (``IMPLICIT_ROWID``, ``SQLITE_NULLABLE_KEYS``)
and checked to still hold, so a new difference fails and a fixed one asks to be struck off.

Not compared: triggers and functions, which differ by design (the running totals are one
PL/pgSQL function behind three triggers on PostgreSQL and three trigger bodies on SQLite;
PostgreSQL's 0004 adds an ``instr()`` that SQLite has built in); CHECK constraints, defaults
and foreign keys.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import pytest

from storage import open_store
from storage.migrate import load_migrations

# Declared types, normalised (see the module docstring).
SQLITE_TYPES = {"INTEGER": "integer", "TEXT": "text"}
POSTGRES_TYPES = {"integer": "integer", "bigint": "integer", "text": "text"}

# SQLite keeps insertion order in each table's implicit rowid, which asks.py sorts by; the
# PostgreSQL twins of these tables spell it out as an identity column of the same name.
IMPLICIT_ROWID = {"ask_people", "ask_messages"}

# SQLite lets NULL into a PRIMARY KEY column that is not INTEGER, in a table with a rowid (a
# legacy quirk, see https://sqlite.org/lang_createtable.html#the_primary_key); PostgreSQL
# refuses it. The store never writes a NULL key, so nothing behaves differently today.
SQLITE_NULLABLE_KEYS = {
    ("oauth_states", "state"),
    ("workspace_settings", "team_id"),
}


@dataclass(frozen=True)
class Column:
    type: str  # normalised: "integer" or "text"
    nullable: bool


@dataclass(frozen=True)
class Index:
    columns: tuple[str, ...]  # in index order; "n DESC" for a descending column
    unique: bool
    partial: bool


@dataclass
class Schema:
    columns: dict[str, dict[str, Column]] = field(default_factory=dict)  # table -> name -> column
    indexes: dict[str, dict[str, Index]] = field(default_factory=dict)  # table -> named indexes
    # table -> ("primary key" or "unique", columns): the indexes that back a constraint.
    keys: dict[str, set[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)


def sqlite_schema(path: Path) -> Schema:
    schema = Schema()
    conn = sqlite3.connect(path)
    try:
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall():
            schema.columns[table] = _sqlite_columns(conn, table)
            schema.indexes[table], schema.keys[table] = _sqlite_indexes(conn, table)
    finally:
        conn.close()
    return schema


def _sqlite_columns(conn: sqlite3.Connection, table: str) -> dict[str, Column]:
    columns = {}
    for name, declared, notnull, pk in conn.execute(
        'SELECT name, type, "notnull", pk FROM pragma_table_info(?)', (table,)
    ):
        # An INTEGER PRIMARY KEY is the rowid itself: never NULL (pragma says it may be).
        rowid_alias = pk and declared.upper() == "INTEGER"
        columns[name] = Column(
            SQLITE_TYPES.get(declared.upper(), declared), not (notnull or rowid_alias)
        )
    return columns


def _sqlite_indexes(
    conn: sqlite3.Connection, table: str
) -> tuple[dict[str, Index], set[tuple[str, tuple[str, ...]]]]:
    """The named indexes, and the keys (primary and unique) with their columns."""
    named: dict[str, Index] = {}
    keys: set[tuple[str, tuple[str, ...]]] = set()
    for index, unique, origin, partial in conn.execute(
        'SELECT name, "unique", origin, partial FROM pragma_index_list(?)', (table,)
    ).fetchall():
        keyed = conn.execute(
            'SELECT name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno',
            (index,),
        )
        columns = tuple(f"{name} DESC" if desc else name for name, desc in keyed)
        if origin == "c":  # made by CREATE INDEX
            named[index] = Index(columns, bool(unique), bool(partial))
        else:
            keys.add(("primary key" if origin == "pk" else "unique", columns))
    if not any(kind == "primary key" for kind, _ in keys):
        # An INTEGER PRIMARY KEY is the rowid, which needs no index of its own.
        primary = conn.execute(
            "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", (table,)
        ).fetchall()
        if primary:
            keys.add(("primary key", tuple(name for (name,) in primary)))
    return named, keys


POSTGRES_INDEXES = """
SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS unique,
    x.indisprimary AS primary, x.indpred IS NOT NULL AS partial,
    EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) AS backs_key,
    ARRAY(
        SELECT a.attname || CASE WHEN pg_index_column_has_property(x.indexrelid, k.n::int, 'desc')
            THEN ' DESC' ELSE '' END
        FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        ORDER BY k.n
    ) AS columns
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relnamespace = current_schema()::regnamespace
"""


async def postgres_schema(url: str) -> Schema:
    schema = Schema()
    conn = await asyncpg.connect(url)
    try:
        for row in await conn.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ):
            schema.columns[row[0]], schema.indexes[row[0]], schema.keys[row[0]] = {}, {}, set()
        for row in await conn.fetch(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        ):
            schema.columns[row[0]][row[1]] = Column(
                POSTGRES_TYPES.get(row[2], row[2]), row[3] == "YES"
            )
        for row in await conn.fetch(POSTGRES_INDEXES):
            columns = tuple(row["columns"])
            if row["backs_key"]:
                kind = "primary key" if row["primary"] else "unique"
                schema.keys[row["table_name"]].add((kind, columns))
            else:
                schema.indexes[row["table_name"]][row["index_name"]] = Index(
                    columns, row["unique"], row["partial"]
                )
    finally:
        await conn.close()
    return schema


def without_known_differences(sqlite: Schema, postgres: Schema) -> None:
    """Strike off the differences that are meant, checking each is still there to strike."""
    for table in IMPLICIT_ROWID:
        assert "rowid" not in sqlite.columns[table], f"{table}: rowid is a real column on SQLite"
        assert postgres.columns[table].pop("rowid") == Column("integer", False), table
    for table, column in SQLITE_NULLABLE_KEYS:
        assert sqlite.columns[table][column].nullable, f"{table}.{column}: fixed on SQLite?"
        sqlite.columns[table][column] = Column(sqlite.columns[table][column].type, False)


def test_migration_files_have_unique_increasing_numbers() -> None:
    # Gaps are allowed: parallel branches reserve numbers before they land.
    versions = [m.version for m in load_migrations("sqlite")]
    assert versions == sorted(set(versions)) and versions[0] == 1


def test_every_migration_has_a_postgresql_twin_of_the_same_name() -> None:
    sqlite_names = [m.name for m in load_migrations("sqlite")]
    assert [m.name for m in load_migrations("postgresql")] == sqlite_names


def test_an_unknown_dialect_has_no_migrations() -> None:
    with pytest.raises(ValueError, match="no migrations for 'mysql'"):
        load_migrations("mysql")


def differences(
    what: str, sqlite: Mapping[str, object], postgres: Mapping[str, object]
) -> list[str]:
    """One line per name whose value differs, or that only one side has."""
    return [
        f"{what} {name}: SQLite {sqlite.get(name, 'none')}, PostgreSQL {postgres.get(name, 'none')}"
        for name in sorted(sqlite.keys() | postgres.keys())
        if sqlite.get(name) != postgres.get(name)
    ]


async def test_sqlite_and_postgresql_migrations_build_the_same_schema(
    tmp_path: Path, postgres_url: str
) -> None:
    for url in (str(tmp_path / "parity.db"), postgres_url):
        await (await open_store(url)).close()
    sqlite, postgres = sqlite_schema(tmp_path / "parity.db"), await postgres_schema(postgres_url)
    without_known_differences(sqlite, postgres)

    assert sorted(sqlite.columns) == sorted(postgres.columns), "tables"
    found: list[str] = []
    for table in sorted(sqlite.columns):
        found += differences(f"{table} column", sqlite.columns[table], postgres.columns[table])
        found += differences(f"{table} index", sqlite.indexes[table], postgres.indexes[table])
        found += [
            f"{table} {kind} {columns} only on {side}"
            for side, mine, theirs in (
                ("SQLite", sqlite.keys[table], postgres.keys[table]),
                ("PostgreSQL", postgres.keys[table], sqlite.keys[table]),
            )
            for kind, columns in sorted(mine - theirs)
        ]
    assert not found, "\n".join(found)
