"""Asks: favour requests and the people around them (their posted copies: storage.ask_messages)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.favours import HELD, OPEN, RESOLVED, WITHDRAWN, Ask
from bot.domain.records import HelpEvent
from storage.dbtypes import Connection, Database, from_epoch, to_epoch
from storage.dialect import Dialect, dialect_of
from storage.events import DEFAULT_DAILY_CAP, insert_event, note_terms


def _select(dialect: Dialect) -> str:
    """Every ask column, and the people of each role around the ask."""
    people = dialect.ask_people
    return (
        "SELECT a.*,"
        f" {people.format(role='asked')} AS asked,"
        f" {people.format(role='offered')} AS offers,"
        f" {people.format(role='helped')} AS helpers,"
        f" {dialect.ask_declined} AS declined"
        " FROM asks a"
    )


class AskStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = dialect_of(db)
        self._select = _select(self._dialect)

    async def create(
        self,
        *,
        team_id: str,
        asker_id: str,
        text: str,
        channel_id: str | None,
        asked: Sequence[str],
        held: bool,
        now: datetime,
        key: str,
    ) -> tuple[Ask, bool]:
        """Store an ask (``held``: not posted yet, the give-first prompt shows instead); return
        it and whether it is new.

        The same ``key`` (one /ask delivery) never creates a second ask.
        """

        async def write(conn: Connection) -> tuple[int, bool]:
            cursor = await conn.execute(
                "INSERT INTO asks (team_id, asker_id, text, channel_id, status, created_at,"
                " idem_key, prompted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (team_id, idem_key) DO NOTHING",
                (
                    team_id,
                    asker_id,
                    text,
                    channel_id,
                    HELD if held else OPEN,
                    to_epoch(now),
                    key,
                    to_epoch(now) if held else None,  # held: the give-first prompt shows now
                ),
            )
            if cursor.rowcount != 1:
                cursor = await conn.execute(
                    "SELECT id FROM asks WHERE team_id = ? AND idem_key = ?", (team_id, key)
                )
                row = await cursor.fetchone()
                assert row is not None
                return int(row[0]), False
            ask_id = int(cursor.lastrowid or 0)
            await conn.executemany(
                "INSERT INTO ask_people (team_id, ask_id, user_id, role, created_at)"
                " VALUES (?, ?, ?, 'asked', ?) ON CONFLICT DO NOTHING",
                [(team_id, ask_id, user, to_epoch(now)) for user in asked],
            )
            return ask_id, True

        ask_id, new = await self._db.write(write)
        ask = await self.get(team_id=team_id, ask_id=ask_id)
        assert ask is not None
        return ask, new

    async def get(self, *, team_id: str, ask_id: int) -> Ask | None:
        row = await self._db.fetchone(
            f"{self._select} WHERE a.team_id = ? AND a.id = ?", (team_id, ask_id)
        )
        return _ask(row) if row else None

    async def open_asks(
        self, team_id: str, *, exclude_user: str | None = None, limit: int | None = None
    ) -> list[Ask]:
        """Open asks in the workspace, oldest first (optionally not those of ``exclude_user``)."""
        rows = await self._db.fetchall(
            f"{self._select} WHERE a.team_id = :t AND a.status = 'open'"
            + ("" if exclude_user is None else " AND a.asker_id <> :exclude")
            + " ORDER BY a.created_at, a.id"
            + ("" if limit is None else " LIMIT :limit"),
            {"t": team_id, "exclude": exclude_user, "limit": limit},
        )
        return [_ask(row) for row in rows]

    async def open_of(self, team_id: str, user_id: str, *, limit: int = 20) -> list[Ask]:
        """``user_id``'s own open asks, newest first."""
        rows = await self._db.fetchall(
            f"{self._select} WHERE a.team_id = ? AND a.asker_id = ? AND a.status = 'open'"
            " ORDER BY a.created_at DESC, a.id DESC LIMIT ?",
            (team_id, user_id, limit),
        )
        return [_ask(row) for row in rows]

    async def offered_by(self, team_id: str, user_id: str, *, limit: int = 20) -> list[Ask]:
        """Open asks ``user_id`` offered to help with, newest offer first."""
        rows = await self._db.fetchall(
            f"{self._select} JOIN ask_people o ON o.ask_id = a.id AND o.role = 'offered'"
            " WHERE a.team_id = ? AND o.user_id = ? AND a.status = 'open'"
            " ORDER BY o.created_at DESC, a.id DESC LIMIT ?",
            (team_id, user_id, limit),
        )
        return [_ask(row) for row in rows]

    async def closed_by_itself(self, team_id: str, *, since: datetime) -> list[Ask]:
        """Asks that closed by themselves (nobody offered in time) since ``since``."""
        rows = await self._db.fetchall(
            f"{self._select} WHERE a.team_id = ? AND a.status = 'withdrawn'"
            " AND a.closed_by = 'auto' AND a.closed_at >= ? ORDER BY a.closed_at, a.id",
            (team_id, to_epoch(since)),
        )
        return [_ask(row) for row in rows]

    async def count_open(self, team_id: str) -> int:
        row = await self._db.fetchone(
            "SELECT count(*) FROM asks WHERE team_id = ? AND status = 'open'", (team_id,)
        )
        return int(row[0]) if row else 0

    async def count_open_everywhere(self) -> int:
        """Open asks in every workspace together (the metrics' gauge: no team id leaves)."""
        row = await self._db.fetchone("SELECT count(*) FROM asks WHERE status = 'open'")
        return int(row[0]) if row else 0

    async def open_counts(
        self, team_id: str, users: Sequence[str], *, exclude_ask: int | None = None
    ) -> dict[str, int]:
        """How many open asks name each of ``users`` (leaving out ``exclude_ask``)."""
        counts = dict.fromkeys(users, 0)
        if not users:
            return counts
        marks = ", ".join("?" for _ in users)
        rows = await self._db.fetchall(
            "SELECT p.user_id, count(*) FROM ask_people p JOIN asks a ON a.id = p.ask_id"
            f" WHERE p.team_id = ? AND p.role = 'asked' AND a.status = 'open' AND p.user_id IN ({marks})"
            " AND NOT EXISTS (SELECT 1 FROM ask_declines d WHERE d.ask_id = p.ask_id"
            "   AND d.user_id = p.user_id)"
            + ("" if exclude_ask is None else " AND a.id <> ?")
            + " GROUP BY p.user_id",
            (team_id, *users, *([] if exclude_ask is None else [exclude_ask])),
        )
        counts.update({row[0]: int(row[1]) for row in rows})
        return counts

    async def publish(self, *, team_id: str, ask_id: int, now: datetime) -> bool:
        """Held -> open (the asker pressed "Post it now", or offered help); False if it was not
        held. From now on it counts as an ask posted."""

        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "UPDATE asks SET status = 'open', created_at = ? WHERE team_id = ? AND id = ?"
                " AND status = 'held'",
                (to_epoch(now), team_id, ask_id),
            )
            return cursor.rowcount == 1

        return bool(await self._db.write(write))

    async def add_asked(self, *, team_id: str, ask_id: int, user_id: str, now: datetime) -> bool:
        """Name one more person in an ask not yet closed; False if they were named already (or
        it is closed)."""

        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "INSERT INTO ask_people (team_id, ask_id, user_id, role, created_at)"
                " SELECT ?, id, ?, 'asked', ? FROM asks WHERE team_id = ? AND id = ?"
                " AND status IN ('held', 'open') ON CONFLICT DO NOTHING",
                (team_id, user_id, to_epoch(now), team_id, ask_id),
            )
            return cursor.rowcount == 1

        return bool(await self._db.write(write))

    async def unname(self, *, team_id: str, ask_id: int, users: Sequence[str]) -> None:
        """Take people out of a held ask's named (the asker chose others before posting)."""

        async def write(conn: Connection) -> None:
            await conn.executemany(
                "DELETE FROM ask_people WHERE team_id = ? AND ask_id = ? AND role = 'asked'"
                " AND user_id = ? AND ask_id IN (SELECT id FROM asks WHERE status = 'held')",
                [(team_id, ask_id, user) for user in users],
            )

        await self._db.write(write)

    async def offer(self, *, team_id: str, ask_id: int, user_id: str, now: datetime) -> bool:
        """Record that ``user_id`` offered to help; False if they already had (or it is closed)."""

        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "INSERT INTO ask_people (team_id, ask_id, user_id, role, created_at)"
                " SELECT ?, id, ?, 'offered', ? FROM asks WHERE team_id = ? AND id = ?"
                " AND status = 'open' ON CONFLICT DO NOTHING",
                (team_id, user_id, to_epoch(now), team_id, ask_id),
            )
            return cursor.rowcount == 1

        return bool(await self._db.write(write))

    async def resolve(
        self,
        *,
        ask: Ask,
        helpers: Sequence[str],
        note: str,
        now: datetime,
        daily_cap: int = DEFAULT_DAILY_CAP,
        public: bool = False,
    ) -> bool:
        """Close an open ask crediting ``helpers``: one help event each, in one transaction.

        ``public``: the ask was posted in a channel, so its text may feed the topic index.
        False (and nothing written) when the ask was no longer open: a double submission.
        """
        events = [
            HelpEvent(
                team_id=ask.team_id,
                giver_id=helper,
                receiver_id=ask.asker_id,
                note=note,
                source="ask",
                channel_id=ask.channel_id,
                created_at=now,
                key=f"ask:{ask.id}:{helper}",
                public=public,
            )
            for helper in helpers
        ]
        terms = note_terms(events[0]) if events else {}

        async def write(conn: Connection) -> bool:
            if not await _close(conn, ask.team_id, ask.id, RESOLVED, now):
                return False
            for event in events:
                await conn.execute(
                    "INSERT INTO ask_people (team_id, ask_id, user_id, role, created_at)"
                    " VALUES (?, ?, ?, 'helped', ?) ON CONFLICT DO NOTHING",
                    (ask.team_id, ask.id, event.giver_id, to_epoch(now)),
                )
                await insert_event(conn, event, daily_cap, self._dialect, terms)
            return True

        return bool(await self._db.write(write))

    async def withdraw(
        self, *, team_id: str, ask_id: int, now: datetime, by: str = "asker"
    ) -> bool:
        """Close an open ask without credit: by its asker, or ``by="auto"`` (nobody offered in
        the workspace's time); False if it was not open."""

        async def write(conn: Connection) -> bool:
            return await _close(conn, team_id, ask_id, WITHDRAWN, now, by)

        return bool(await self._db.write(write))

    async def touch(self, *, team_id: str, ask_id: int, now: datetime) -> bool:
        """The asker still needs help: the check-in and the automatic close count from now."""

        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "UPDATE asks SET touched_at = ? WHERE team_id = ? AND id = ? AND status = 'open'",
                (to_epoch(now), team_id, ask_id),
            )
            return cursor.rowcount == 1

        return bool(await self._db.write(write))

    async def decline(self, *, team_id: str, ask_id: int, user_id: str, now: datetime) -> bool:
        """``user_id``, named in the open ask, cannot help this time; False if they already
        said so, were not named, or it is closed."""

        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "INSERT INTO ask_declines (team_id, ask_id, user_id, created_at)"
                " SELECT a.team_id, a.id, p.user_id, ? FROM asks a JOIN ask_people p"
                " ON p.ask_id = a.id AND p.role = 'asked' AND p.user_id = ?"
                " WHERE a.team_id = ? AND a.id = ? AND a.status = 'open' ON CONFLICT DO NOTHING",
                (to_epoch(now), user_id, team_id, ask_id),
            )
            return cursor.rowcount == 1

        return bool(await self._db.write(write))


async def _close(
    conn: Connection, team_id: str, ask_id: int, status: str, now: datetime, by: str = "asker"
) -> bool:
    cursor = await conn.execute(
        "UPDATE asks SET status = ?, closed_at = ?, closed_by = ?"
        " WHERE team_id = ? AND id = ? AND status = 'open'",
        (status, to_epoch(now), by, team_id, ask_id),
    )
    return cursor.rowcount == 1


def _ask(row: Any) -> Ask:
    return Ask(
        id=row["id"],
        team_id=row["team_id"],
        asker_id=row["asker_id"],
        text=row["text"],
        channel_id=row["channel_id"],
        status=row["status"],
        created_at=from_epoch(row["created_at"]),
        asked=tuple((row["asked"] or "").split()),
        offers=tuple((row["offers"] or "").split()),
        helpers=tuple((row["helpers"] or "").split()),
        closed_at=from_epoch(row["closed_at"]) if row["closed_at"] is not None else None,
        touched_at=from_epoch(row["touched_at"]) if row["touched_at"] is not None else None,
        closed_by=row["closed_by"],
        declined=tuple((row["declined"] or "").split()),
    )
