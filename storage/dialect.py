"""The SQL that differs between SQLite and PostgreSQL, gathered in one place.

Areas write one statement for both backends wherever they can: ``postgres_face`` translates
``?`` and ``:name`` placeholders, and the PostgreSQL migrations add what SQLite has built in
(``instr()``, an explicit ``rowid`` where insertion order matters). What cannot be shared is
here, one field per difference, so this module shows every place the two part ways. Queries
that read the same on both stay in their areas.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.dbtypes import Database


@dataclass(frozen=True)
class Dialect:
    name: str  # what ``Database.dialect`` says: "sqlite" or "postgresql"

    # Several bot processes may use the database at once, each with its own caches and with
    # transactions that really run concurrently (PostgreSQL). A SQLite file serves one bot
    # process, whose single writer (BEGIN IMMEDIATE across processes) makes every write serial.
    several_processes: bool

    # A condition on user_preferences: the person's JSON asks to stay out of rankings.
    hidden_from_top: str

    # The user ids of one ``{role}`` around the ask aliased ``a``, space-separated, in the
    # order they were added (a scalar subquery).
    ask_people: str

    # The user ids of the people who declined the ask aliased ``a`` ("Not this time"),
    # space-separated, oldest first (a scalar subquery).
    ask_declined: str

    # Each help event of a concurrent writer takes this lock on its pair of people (either
    # direction) first, held to commit, so the daily cap's count and the pair's running totals
    # are exact under READ COMMITTED. None: the single writer serialises them already.
    pair_lock: str | None

    # Which of a JSON list of [team_id, idem_key] pairs are stored already (and whether each
    # counts), in one query, so a large import needs a few round trips in all. None: inserts go
    # one by one.
    existing_keys: str | None

    # The column names of table ``?``, in their order.
    table_columns: str

    # Every table of the schema, by name (what the migrations built, whoever added it).
    tables: str

    # The primary key columns of table ``?``, in key order.
    primary_key: str

    # What names a row of a table without a primary key (an FTS table, a plain one).
    row_locator: str

    # Tables keep their insertion order in a rowid that the column list leaves out (SQLite);
    # the PostgreSQL twins name it as a column where the order matters.
    hidden_rowid: bool

    # After ids were copied in explicitly, move ``{table}``'s ``{column}`` identity past them.
    # None: an INTEGER PRIMARY KEY continues after the largest id by itself.
    advance_identity: str | None

    # A WITH may hold INSERTs (PostgreSQL): several writes in one statement, one round trip.
    writes_in_with: bool


SQLITE = Dialect(
    name="sqlite",
    several_processes=False,
    hidden_from_top="json_extract(preferences, '$.hide_from_top') = 1",
    ask_people=(
        "(SELECT group_concat(user_id, ' ') FROM (SELECT user_id FROM ask_people"
        "   WHERE ask_id = a.id AND role = '{role}' ORDER BY created_at, rowid))"
    ),
    ask_declined=(
        "(SELECT group_concat(user_id, ' ') FROM (SELECT user_id FROM ask_declines"
        "   WHERE ask_id = a.id ORDER BY created_at, user_id))"
    ),
    pair_lock=None,
    existing_keys=(
        "SELECT h.team_id, h.idem_key, h.counted FROM json_each(:keys) AS k JOIN help_events AS h"
        " ON h.team_id = json_extract(k.value, '$[0]')"
        " AND h.idem_key = json_extract(k.value, '$[1]')"
    ),
    table_columns="SELECT name FROM pragma_table_info(?)",
    tables=(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ),
    primary_key="SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
    row_locator="rowid",
    hidden_rowid=True,
    advance_identity=None,
    writes_in_with=False,
)

POSTGRESQL = Dialect(
    name="postgresql",
    several_processes=True,
    hidden_from_top="(preferences::jsonb ->> 'hide_from_top') = 'true'",
    ask_people=(
        "(SELECT string_agg(user_id, ' ' ORDER BY created_at, rowid) FROM ask_people"
        "   WHERE ask_id = a.id AND role = '{role}')"
    ),
    ask_declined=(
        "(SELECT string_agg(user_id, ' ' ORDER BY created_at, user_id) FROM ask_declines"
        "   WHERE ask_id = a.id)"
    ),
    pair_lock=(
        "SELECT pg_advisory_xact_lock(hashtextextended("
        "'help-pair:' || :team_id || ':' || :low || ':' || :high, 0))"
    ),
    existing_keys=None,
    table_columns=(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
    ),
    tables=(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    ),
    primary_key=(
        "SELECT k.column_name FROM information_schema.table_constraints c"
        " JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name"
        " AND k.table_schema = c.table_schema AND k.table_name = c.table_name"
        " WHERE c.table_schema = current_schema() AND c.table_name = ?"
        " AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position"
    ),
    row_locator="ctid",
    hidden_rowid=False,
    advance_identity=(
        "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
        " (SELECT coalesce(max({column}), 0) + 1 FROM {table}), false)"
    ),
    writes_in_with=True,
)

DIALECTS = {dialect.name: dialect for dialect in (SQLITE, POSTGRESQL)}


def dialect_of(db: Database) -> Dialect:
    """The SQL fragments for the backend behind ``db``."""
    return DIALECTS[db.dialect]
