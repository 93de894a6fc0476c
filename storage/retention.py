"""How long a workspace's data stays: until it uninstalls the app, and a retention period after.

``app_uninstalled`` records the departure; installing again cancels it. A departed workspace's
rows are erased when the period has passed (bot.jobs.retention), or at once with
``giveback purge --team T…``. Erasing finds its tables in the live schema (every table with a
``team_id`` column), so a table added by a later migration is erased too without a change here.

Rows go in batches of :data:`BATCH`, each its own transaction: erasing a large workspace never
holds SQLite's single writer for long (a 200,000-event workspace in one transaction held it for
seven seconds, past Slack's three-second ack). The departure is deleted last, so an erase cut
short is finished by the next run.
"""

from __future__ import annotations

from datetime import datetime

from storage.dbtypes import Connection, Database, from_epoch, to_epoch
from storage.dialect import dialect_of

# Running totals, emptied before the ledger so its delete triggers find nothing to adjust.
DERIVED_FIRST = ("help_daily", "help_pairs", "favour_daily")
LAST = "workspace_departures"  # what says an erase is still due: deleted when all else is gone
NOT_ERASED = ("schema_migrations",)  # the schema's own bookkeeping
BATCH = 2000


class RetentionStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = dialect_of(db)

    async def departed(self, team_id: str, *, now: datetime) -> None:
        """The workspace uninstalled the app (the first departure's time is kept)."""

        async def write(conn: Connection) -> None:
            await conn.execute(
                "INSERT INTO workspace_departures (team_id, departed_at) VALUES (?, ?)"
                " ON CONFLICT (team_id) DO NOTHING",
                (team_id, to_epoch(now)),
            )

        await self._db.write(write)

    async def returned(self, team_id: str) -> None:
        """The workspace installed the app again: nothing of it is due for erasing."""

        async def write(conn: Connection) -> None:
            await conn.execute("DELETE FROM workspace_departures WHERE team_id = ?", (team_id,))

        await self._db.write(write)

    async def departures(self) -> dict[str, datetime]:
        """Every departed workspace and when it left."""
        rows = await self._db.fetchall("SELECT team_id, departed_at FROM workspace_departures")
        return {str(r[0]): from_epoch(r[1]) for r in rows}

    async def due(self, *, departed_before: datetime) -> list[str]:
        """Workspaces that left before ``departed_before`` and have not come back."""
        rows = await self._db.fetchall(
            "SELECT team_id FROM workspace_departures WHERE departed_at < ? ORDER BY team_id",
            (to_epoch(departed_before),),
        )
        return [str(r[0]) for r in rows]

    async def team_tables(self) -> list[str]:
        """Every table holding rows of a workspace, in the order they are erased."""
        tables = [str(r[0]) for r in await self._db.fetchall(self._dialect.tables)]
        scoped = [
            table
            for table in tables
            if table not in NOT_ERASED and "team_id" in await self._columns(table)
        ]
        first = [t for t in DERIVED_FIRST if t in scoped]
        last = [LAST] if LAST in scoped else []
        return first + [t for t in scoped if t not in first and t not in last] + last

    async def held(self, team_id: str) -> dict[str, int]:
        """Rows per table stored for the workspace (tables with none left out)."""
        counts: dict[str, int] = {}
        for table in await self.team_tables():
            # Table names come from the schema, never from input.
            row = await self._db.fetchone(
                f"SELECT count(*) FROM {table} WHERE team_id = ?", (team_id,)
            )
            if row is not None and int(row[0]):
                counts[table] = int(row[0])
        return counts

    async def erase(self, team_id: str, *, batch: int = BATCH) -> dict[str, int]:
        """Delete every row of the workspace, a batch per transaction; rows deleted per table."""
        deleted: dict[str, int] = {}
        for table in await self.team_tables():
            key = ", ".join(await self._key(table))
            # Names come from the schema, never from input.
            sql = (
                f"DELETE FROM {table} WHERE ({key}) IN"
                f" (SELECT {key} FROM {table} WHERE team_id = ? LIMIT ?)"
            )

            async def write(conn: Connection, sql: str = sql) -> int:
                cursor = await conn.execute(sql, (team_id, batch))
                return max(int(cursor.rowcount), 0)

            while (count := int(await self._db.write(write, locked=True))) > 0:
                deleted[table] = deleted.get(table, 0) + count
                if count < batch:
                    break
        return deleted

    async def _columns(self, table: str) -> list[str]:
        rows = await self._db.fetchall(self._dialect.table_columns, (table,))
        return [str(r[0]) for r in rows]

    async def _key(self, table: str) -> list[str]:
        """The columns naming one row: the primary key, else the backend's row locator."""
        rows = await self._db.fetchall(self._dialect.primary_key, (table,))
        return [str(r[0]) for r in rows] or [self._dialect.row_locator]
