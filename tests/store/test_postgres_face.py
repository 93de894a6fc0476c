"""The aiosqlite-shaped shim over asyncpg: placeholder translation (pure) and cursors."""

from __future__ import annotations

import pytest

from storage import DatabaseUrl, open_store, parse_database_url
from storage.backends.postgres_face import translate
from storage.errors import IntegrityError


@pytest.mark.parametrize(
    ("sql", "params", "expected_sql", "expected_args"),
    [
        ("SELECT ? + ?", (1, 2), "SELECT $1 + $2", [1, 2]),
        ("SELECT :a, :b, :a", {"a": 1, "b": 2}, "SELECT $1, $2, $1", [1, 2]),
        ("SELECT '?', ':a', ?", ("x",), "SELECT '?', ':a', $1", ["x"]),
        ("SELECT 'it''s ?', ?", (1,), "SELECT 'it''s ?', $1", [1]),
        ('SELECT "odd?col" FROM t WHERE a = ?', (1,), 'SELECT "odd?col" FROM t WHERE a = $1', [1]),
        ("SELECT x::text FROM t WHERE a = :a", {"a": 1}, "SELECT x::text FROM t WHERE a = $1", [1]),
        ("SELECT 1 -- why?\nWHERE a = ?", (5,), "SELECT 1 -- why?\nWHERE a = $1", [5]),
        ("SELECT 1 /* :no */ WHERE a = ?", (5,), "SELECT 1 /* :no */ WHERE a = $1", [5]),
        ("SELECT 1", (), "SELECT 1", []),
    ],
)
def test_placeholders_become_numbered(
    sql: str, params: object, expected_sql: str, expected_args: list[object]
) -> None:
    assert translate(sql, params) == (expected_sql, expected_args)


@pytest.mark.parametrize(
    ("sql", "params", "error"),
    [
        ("SELECT ?, ?", (1,), ValueError),
        ("SELECT :a", (1,), TypeError),
        ("SELECT :a, ?", {"a": 1}, ValueError),
        ("SELECT :a", {"b": 1}, KeyError),
    ],
)
def test_mismatched_parameters_are_refused(sql: str, params: object, error: type) -> None:
    with pytest.raises(error):
        translate(sql, params)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("giveback.db", DatabaseUrl("sqlite", "giveback.db")),
        ("sqlite:///data/g.db", DatabaseUrl("sqlite", "data/g.db")),
        ("sqlite:////abs/g.db", DatabaseUrl("sqlite", "/abs/g.db")),
        ("postgresql://u:p@h/db", DatabaseUrl("postgresql", "postgresql://u:p@h/db")),
        ("postgres://h/db", DatabaseUrl("postgresql", "postgres://h/db")),
    ],
)
def test_database_urls(raw: str, expected: DatabaseUrl) -> None:
    assert parse_database_url(raw) == expected


@pytest.mark.parametrize("raw", ["mysql://h/db", "sqlite:///", "  "])
def test_bad_database_urls_say_why(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_database_url(raw)


def test_passwords_stay_out_of_printed_urls() -> None:
    assert str(parse_database_url("postgresql://bot:s3cret@db:5432/g")) == (
        "postgresql://bot:***@db:5432/g"
    )


async def test_the_connection_api_areas_rely_on(database_url: str) -> None:
    """What area stores use of aiosqlite answers the same on both backends."""
    store = await open_store(database_url)
    try:

        async def write(conn):  # type: ignore[no-untyped-def]
            inserted = await conn.execute(
                "INSERT INTO workspace_settings (team_id, settings, updated_at) VALUES (?, ?, ?)",
                ("T1", "{}", 1),
            )
            again = await conn.execute(
                "INSERT INTO workspace_settings (team_id, settings, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (team_id) DO NOTHING",
                ("T1", "{}", 2),
            )
            event = await conn.execute(
                "INSERT INTO help_events (team_id, giver_id, receiver_id, source, created_at,"
                " idem_key) VALUES (:t, 'UA', 'UB', 'command', 5, 'k')",
                {"t": "T1"},
            )
            updated = await conn.execute("UPDATE workspace_settings SET updated_at = 3")
            async with conn.execute("SELECT team_id, updated_at FROM workspace_settings") as cur:
                rows = [(row["team_id"], row[1]) async for row in cur]
            cursor = await conn.execute("SELECT count(*) FROM help_events")
            return (
                inserted.rowcount,
                again.rowcount,
                event.lastrowid,
                updated.rowcount,
                rows,
                (await cursor.fetchone())[0],
                await cursor.fetchone(),
            )

        assert await store.db.write(write) == (1, 0, 1, 1, [("T1", 3)], 1, None)

        async def duplicate(conn):  # type: ignore[no-untyped-def]
            await conn.execute(
                "INSERT INTO workspace_settings (team_id, settings, updated_at) VALUES (?, ?, ?)",
                ("T1", "{}", 1),
            )

        with pytest.raises(IntegrityError):
            await store.db.write(duplicate)
        async with store.db.reader.execute("SELECT idem_key FROM help_events") as cursor:
            assert [row[0] async for row in cursor] == ["k"]
        assert [
            row["settings"]
            for row in await store.db.fetchall(
                "SELECT settings FROM workspace_settings WHERE team_id = ?", ("T1",)
            )
        ] == ["{}"]
    finally:
        await store.close()
