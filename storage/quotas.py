"""Counters behind the per-person limits and the once-only messages (bot.domain.limits)."""

from __future__ import annotations

from storage.dbtypes import Connection, Database


class SendCountStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def take(
        self, *, team_id: str, subject_id: str, kind: str, period: int, want: int, most: int
    ) -> int:
        """Take up to ``want`` units of ``most`` in ``period``; return how many were granted.

        One transaction reads and adds, so two processes never grant the same unit (SQLite's
        single writer; PostgreSQL's serializable retries). Earlier periods of the same
        counter are dropped on the way: only the current one is ever read.
        """

        async def write(conn: Connection) -> int:
            cursor = await conn.execute(
                "SELECT used FROM send_counts WHERE team_id = ? AND subject_id = ?"
                " AND kind = ? AND period = ?",
                (team_id, subject_id, kind, period),
            )
            row = await cursor.fetchone()
            granted = max(0, min(want, most - (int(row[0]) if row else 0)))
            if granted:
                await conn.execute(
                    "INSERT INTO send_counts (team_id, subject_id, kind, period, used)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (team_id, subject_id, kind, period)"
                    " DO UPDATE SET used = send_counts.used + excluded.used",
                    (team_id, subject_id, kind, period, granted),
                )
            if row is None and period:
                await conn.execute(
                    "DELETE FROM send_counts WHERE team_id = ? AND subject_id = ? AND kind = ?"
                    " AND period < ?",
                    (team_id, subject_id, kind, period),
                )
            return granted

        return int(await self._db.write(write)) if want > 0 else 0
