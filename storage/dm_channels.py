"""Each person's DM channel with the bot, remembered so it is opened once, not per message."""

from __future__ import annotations

from datetime import datetime

from storage.dbtypes import Connection, Database, to_epoch


class DmChannelStore:
    """``conversations.open`` is Tier 3 (about 50 a minute per workspace); its answer for one
    person does not change, so it is kept here until a post says the channel is gone."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, team_id: str, user_id: str) -> str | None:
        row = await self._db.fetchone(
            "SELECT channel_id FROM dm_channels WHERE team_id = ? AND user_id = ?",
            (team_id, user_id),
        )
        return str(row[0]) if row else None

    async def remember(self, team_id: str, user_id: str, channel_id: str, *, now: datetime) -> None:
        async def write(conn: Connection) -> None:
            await conn.execute(
                "INSERT INTO dm_channels (team_id, user_id, channel_id, opened_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (team_id, user_id) DO UPDATE SET"
                " channel_id = excluded.channel_id, opened_at = excluded.opened_at",
                (team_id, user_id, channel_id, to_epoch(now)),
            )

        await self._db.write(write)

    async def forget(self, team_id: str, user_id: str, channel_id: str) -> bool:
        """Drop ``channel_id`` for the person, unless another sweep already put a newer one
        in its place; return whether a row went."""

        async def write(conn: Connection) -> int:
            cursor = await conn.execute(
                "DELETE FROM dm_channels WHERE team_id = ? AND user_id = ? AND channel_id = ?",
                (team_id, user_id, channel_id),
            )
            return max(cursor.rowcount, 0)

        return bool(await self._db.write(write))
