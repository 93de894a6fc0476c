"""Reaction thanks on one message, rolled up into one reply in its thread.

``reaction_thanks`` keeps each thank-you emoji a person has on a message (two emoji, one
thanks); ``thanks_replies`` the bot's one reply that names everyone who thanked that way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.records import MessageRef
from storage.dbtypes import Connection, Database, to_epoch

# A claim to post the reply that was never completed (the process died in between) is taken
# over after this long, so one crash cannot leave a message without its reply for good.
CLAIM_LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Thanker:
    """Someone whose reaction on the message is a thanks that counts, and whom it thanks."""

    reactor_id: str
    helper_id: str


THANKERS = (
    "SELECT r.reactor_id, r.helper_id, min(r.created_at) AS first_at FROM reaction_thanks r"
    " JOIN help_events e ON e.team_id = r.team_id AND e.idem_key = r.event_key"
    " WHERE r.team_id = ? AND r.channel_id = ? AND r.message_ts = ? AND e.counted = 1"
    " GROUP BY r.reactor_id, r.helper_id ORDER BY first_at, r.reactor_id"
)


class RollupStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_reaction(
        self,
        message: MessageRef,
        *,
        reactor_id: str,
        emoji: str,
        helper_id: str,
        event_key: str,
        now: datetime,
    ) -> None:
        """Remember that ``reactor_id`` put ``emoji`` on the message (again: nothing new)."""

        async def write(conn: Connection) -> None:
            await conn.execute(
                "INSERT INTO reaction_thanks (team_id, channel_id, message_ts, reactor_id,"
                " emoji, helper_id, event_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (team_id, channel_id, message_ts, reactor_id, emoji) DO NOTHING",
                (*message.key, reactor_id, emoji, helper_id, event_key, to_epoch(now)),
            )

        await self._db.write(write)

    async def remove_reaction(
        self, message: MessageRef, *, reactor_id: str, emoji: str
    ) -> tuple[bool, int]:
        """Forget one emoji; return (whether it was a thank-you emoji we kept, how many of the
        person's thank-you emoji remain on the message)."""

        async def write(conn: Connection) -> tuple[bool, int]:
            cursor = await conn.execute(
                "DELETE FROM reaction_thanks WHERE team_id = ? AND channel_id = ?"
                " AND message_ts = ? AND reactor_id = ? AND emoji = ?",
                (*message.key, reactor_id, emoji),
            )
            removed = cursor.rowcount > 0
            cursor = await conn.execute(
                "SELECT count(*) FROM reaction_thanks WHERE team_id = ? AND channel_id = ?"
                " AND message_ts = ? AND reactor_id = ?",
                (*message.key, reactor_id),
            )
            row = await cursor.fetchone()
            return removed, int(row[0]) if row else 0

        removed, remaining = await self._db.write(write)
        return bool(removed), int(remaining)

    async def thankers(self, message: MessageRef) -> list[Thanker]:
        """Everyone whose reaction on the message is a counted thanks, first to react first."""
        rows = await self._db.fetchall(THANKERS, message.key)
        return [Thanker(row[0], row[1]) for row in rows]

    async def reply(self, message: MessageRef) -> str | None:
        """The ts of the bot's rolled-up reply to the message, once it is posted."""
        row = await self._db.fetchone(
            "SELECT reply_ts FROM thanks_replies WHERE team_id = ? AND channel_id = ?"
            " AND message_ts = ?",
            message.key,
        )
        return str(row[0]) if row and row[0] else None

    async def claim_reply(self, message: MessageRef, *, now: datetime) -> bool:
        """True for the one delivery that should post the reply: none exists, and nobody else
        is posting it (or their claim is older than the lease)."""
        stamp, stale = to_epoch(now), to_epoch(now - CLAIM_LEASE)

        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "INSERT INTO thanks_replies (team_id, channel_id, message_ts, claimed_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (team_id, channel_id, message_ts) DO UPDATE"
                " SET claimed_at = excluded.claimed_at"
                " WHERE thanks_replies.reply_ts IS NULL AND thanks_replies.claimed_at < ?",
                (*message.key, stamp, stale),
            )
            return cursor.rowcount == 1

        return bool(await self._db.write(write))

    async def set_reply(self, message: MessageRef, reply_ts: str | None) -> None:
        """The reply is posted (``reply_ts``), or gone: None drops the row, so the next
        reaction posts a fresh one."""

        async def write(conn: Connection) -> None:
            if reply_ts is None:
                await conn.execute(
                    "DELETE FROM thanks_replies WHERE team_id = ? AND channel_id = ?"
                    " AND message_ts = ?",
                    message.key,
                )
            else:
                await conn.execute(
                    "UPDATE thanks_replies SET reply_ts = ? WHERE team_id = ? AND channel_id = ?"
                    " AND message_ts = ?",
                    (reply_ts, *message.key),
                )

        await self._db.write(write)
