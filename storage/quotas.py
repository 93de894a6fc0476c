"""Counters behind the per-person limits and the once-only messages (bot.domain.limits)."""

from __future__ import annotations

from storage.dbtypes import Connection, Database
from storage.dialect import dialect_of

Counter = tuple[str, str, str]  # team, subject, kind


class SendCountStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        # One bot process owns a SQLite file (Dialect.several_processes), so its per-period
        # counts can live in memory: that saves a durable write per announcement, and a restart
        # forgets at most one period of them. Once-only counts, and every count on PostgreSQL
        # (several processes share it), are stored.
        self._periods: dict[Counter, tuple[int, int]] | None = (
            None if dialect_of(db).several_processes else {}
        )
        self._latest: dict[str, int] = {}  # the newest period seen, per kind of counter

    async def take(
        self, *, team_id: str, subject_id: str, kind: str, period: int, want: int, most: int
    ) -> int:
        """Take up to ``want`` units of ``most`` in ``period`` (0: ever); return how many were
        granted.

        Stored, one transaction reads and adds, so two processes never grant the same unit
        (SQLite's single writer; PostgreSQL's serializable retries). Earlier periods of the
        same counter are dropped on the way: only the current one is ever read.
        """
        if want <= 0:
            return 0
        if period and self._periods is not None:
            return self._take_in_memory((team_id, subject_id, kind), period, want, most)

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

        return int(await self._db.write(write))

    def _take_in_memory(self, counter: Counter, period: int, want: int, most: int) -> int:
        assert self._periods is not None
        kind = counter[2]
        if period > self._latest.get(kind, period - 1):
            # The first take of a new period: every count of an older one is done with, so
            # the table only ever holds the people active in the current period.
            self._latest[kind] = period
            for old in [c for c, (p, _) in self._periods.items() if c[2] == kind and p < period]:
                del self._periods[old]
        counted_in, used = self._periods.get(counter, (period, 0))
        used = used if counted_in == period else 0
        granted = max(0, min(want, most - used))
        self._periods[counter] = (period, used + granted)
        return granted

    def drop_cached(self, team_id: str, subject_id: str) -> None:
        """Forget the in-memory counts of someone forgotten (their id must not linger)."""
        if self._periods is not None:
            for counter in [c for c in self._periods if c[:2] == (team_id, subject_id)]:
                del self._periods[counter]
