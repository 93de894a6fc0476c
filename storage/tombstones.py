"""Reactions taken back, remembered a day: a late redelivery of their reaction_added is stale.

Slack retries an event it thinks was not received, so a ``reaction_added`` can arrive after the
``reaction_removed`` that undid it. Slack's ``event_ts`` orders them: an add no newer than the
removal is that stale delivery; a newer one is the person reacting again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from storage.dbtypes import Connection, Database, to_epoch

KEPT = timedelta(days=1)  # Slack retries within minutes


class TombstoneStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def bury(self, *, team_id: str, key: str, removed_ts: str, now: datetime) -> None:
        """Remember that the reaction ``key`` was removed at ``removed_ts``."""

        async def write(conn: Connection) -> None:
            await conn.execute(
                "DELETE FROM reaction_tombstones WHERE team_id = ? AND created_at < ?",
                (team_id, to_epoch(now - KEPT)),
            )
            await conn.execute(
                "INSERT INTO reaction_tombstones (team_id, idem_key, removed_ts, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (team_id, idem_key) DO UPDATE"
                " SET removed_ts = excluded.removed_ts, created_at = excluded.created_at",
                (team_id, key, removed_ts, to_epoch(now)),
            )

        await self._db.write(write)

    async def outdated(self, *, team_id: str, key: str, added_ts: str | None) -> bool:
        """True when a removal of ``key`` is as new as this add, or newer: a stale delivery."""
        row = await self._db.fetchone(
            "SELECT removed_ts FROM reaction_tombstones WHERE team_id = ? AND idem_key = ?",
            (team_id, key),
        )
        return row is not None and _ts(added_ts) <= _ts(row[0])


def _ts(value: str | None) -> Decimal:
    """Slack's ``1700000000.000100``; a missing or odd one sorts first (treated as old)."""
    try:
        parsed = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)
    return parsed if parsed.is_finite() else Decimal(0)
