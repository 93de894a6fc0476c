"""Offers to log plain-words thanks: claimed once per message, so Slack's retries offer nothing twice."""

from __future__ import annotations

from datetime import datetime

from storage.dbtypes import Connection, Database, to_epoch


class OfferStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, *, team_id: str, key: str, user_id: str, now: datetime) -> bool:
        """True the first time ``key`` is claimed (make the offer); False ever after."""

        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "INSERT INTO thanks_offers (team_id, idem_key, user_id, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (team_id, idem_key) DO NOTHING",
                (team_id, key, user_id, to_epoch(now)),
            )
            return cursor.rowcount == 1

        return bool(await self._db.write(write))
