"""The copies of an ask the bot posted (in its channel, in DMs), kept up to date as it changes."""

from __future__ import annotations

from dataclasses import dataclass

from storage.dbtypes import Connection, Database


@dataclass(frozen=True)
class AskMessage:
    """One posted copy of an ask: in its channel, or in the DM of someone it names."""

    ask_id: int
    channel_id: str
    ts: str
    kind: str  # channel | dm
    lang: str
    recipient: str = ""  # whose DM it is (kind dm), so forgetting them can drop it


class AskMessageStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, team_id: str, message: AskMessage) -> None:
        async def write(conn: Connection) -> None:
            await conn.execute(
                "INSERT INTO ask_messages (team_id, ask_id, channel_id, ts, kind, lang,"
                " recipient_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    team_id,
                    message.ask_id,
                    message.channel_id,
                    message.ts,
                    message.kind,
                    message.lang,
                    message.recipient,
                ),
            )

        await self._db.write(write)

    async def drop_copy_for(self, *, team_id: str, ask_id: int, recipient: str) -> None:
        """Stop keeping ``recipient``'s DM copy up to date (they passed on the ask)."""

        async def write(conn: Connection) -> None:
            await conn.execute(
                "DELETE FROM ask_messages WHERE team_id = ? AND ask_id = ? AND kind = 'dm'"
                " AND recipient_id = ?",
                (team_id, ask_id, recipient),
            )

        await self._db.write(write)

    async def of(self, *, team_id: str, ask_id: int) -> list[AskMessage]:
        rows = await self._db.fetchall(
            "SELECT * FROM ask_messages WHERE team_id = ? AND ask_id = ? ORDER BY rowid",
            (team_id, ask_id),
        )
        return [
            AskMessage(
                r["ask_id"], r["channel_id"], r["ts"], r["kind"], r["lang"], r["recipient_id"]
            )
            for r in rows
        ]
