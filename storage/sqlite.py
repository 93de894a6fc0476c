"""SqliteStore: the ledger over aiosqlite. Every method is scoped by ``team_id``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from bot.models import HelpEvent, Ledger, PersonCount, UserProfile
from storage import db

DEFAULT_DAILY_CAP = 3


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class SqliteStore:
    """Open with :meth:`open`, close with :meth:`close` (finishes queued writes first)."""

    def __init__(self, path: str, writer_conn: aiosqlite.Connection, reader: aiosqlite.Connection):
        self.path = path
        self._writer_conn = writer_conn
        self._writer = db.Writer(writer_conn)
        self._reader = reader
        self.daily_cap = DEFAULT_DAILY_CAP

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> SqliteStore:
        writer_conn = await db.connect(path)
        if migrate:
            await db.migrate(writer_conn)
        reader = await db.connect(path, readonly=True)
        store = cls(str(path), writer_conn, reader)
        store._writer.start()
        return store

    async def close(self) -> None:
        await self._writer.stop()
        await self._reader.close()
        await self._writer_conn.close()

    async def schema_version(self) -> int:
        return await db.schema_version(self._reader)

    # -- help events -------------------------------------------------------------------

    async def record_help(self, events: Sequence[HelpEvent]) -> list[bool]:
        """Store events atomically; return, per event, whether it was new (False: a redelivery)."""

        async def write(conn: aiosqlite.Connection) -> list[bool]:
            return [await self._insert_help(conn, event) for event in events]

        return await self._writer.run(write)

    async def _insert_help(self, conn: aiosqlite.Connection, event: HelpEvent) -> bool:
        day_start = event.created_at.astimezone(UTC).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        cursor = await conn.execute(
            "SELECT count(*) FROM help_events WHERE team_id = ? AND giver_id = ? AND receiver_id = ?"
            " AND created_at >= ? AND created_at < ? AND counted = 1",
            (
                event.team_id,
                event.giver_id,
                event.receiver_id,
                to_epoch(day_start),
                to_epoch(day_start + timedelta(days=1)),
            ),
        )
        row = await cursor.fetchone()
        counted = row is not None and row[0] < self.daily_cap
        cursor = await conn.execute(
            "INSERT INTO help_events (team_id, giver_id, receiver_id, note, source, channel_id,"
            " created_at, idem_key, counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (team_id, idem_key) DO NOTHING",
            (
                event.team_id,
                event.giver_id,
                event.receiver_id,
                event.note,
                event.source,
                event.channel_id,
                to_epoch(event.created_at),
                event.key,
                int(counted),
            ),
        )
        return cursor.rowcount == 1

    async def delete_help(self, *, team_id: str, key: str) -> bool:
        async def write(conn: aiosqlite.Connection) -> bool:
            cursor = await conn.execute(
                "DELETE FROM help_events WHERE team_id = ? AND idem_key = ?", (team_id, key)
            )
            return cursor.rowcount > 0

        return bool(await self._writer.run(write))

    async def ledger(self, *, team_id: str, user_id: str, since: datetime, top: int = 5) -> Ledger:
        """Counts for one person: in the window starting at ``since`` and all time."""
        cursor = await self._reader.execute(
            "SELECT"
            " (SELECT count(*) FROM help_events WHERE team_id = :t AND giver_id = :u"
            "   AND counted = 1 AND created_at >= :s),"
            " (SELECT count(*) FROM help_events WHERE team_id = :t AND receiver_id = :u"
            "   AND counted = 1 AND created_at >= :s),"
            " (SELECT count(*) FROM help_events WHERE team_id = :t AND giver_id = :u AND counted = 1),"
            " (SELECT count(*) FROM help_events WHERE team_id = :t AND receiver_id = :u AND counted = 1)",
            {"t": team_id, "u": user_id, "s": to_epoch(since)},
        )
        given_recent, received_recent, given_total, received_total = await cursor.fetchone()  # type: ignore[misc]
        return Ledger(
            user_id=user_id,
            given_recent=given_recent,
            received_recent=received_recent,
            given_total=given_total,
            received_total=received_total,
            top_helpers=await self._top(team_id, "receiver_id", user_id, "giver_id", top),
            top_helped=await self._top(team_id, "giver_id", user_id, "receiver_id", top),
        )

    async def _top(
        self, team_id: str, me: str, user_id: str, other: str, limit: int
    ) -> list[PersonCount]:
        # Column names come from the two fixed call sites above, never from input.
        cursor = await self._reader.execute(
            f"SELECT {other}, count(*) AS n, max(created_at) AS last FROM help_events"
            f" WHERE team_id = ? AND {me} = ? AND counted = 1"
            f" GROUP BY {other} ORDER BY n DESC, last DESC LIMIT ?",
            (team_id, user_id, limit),
        )
        return [PersonCount(row[0], row[1]) for row in await cursor.fetchall()]

    async def export_events(
        self, *, team_id: str | None = None, since: datetime | None = None
    ) -> AsyncIterator[HelpEvent]:
        """Every help event, oldest first, optionally for one workspace and from a moment on."""
        clauses, params = [], []
        if team_id is not None:
            clauses.append("team_id = ?")
            params.append(team_id)
        if since is not None:
            clauses.append("created_at >= ?")
            params.append(to_epoch(since))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        async with self._reader.execute(
            f"SELECT * FROM help_events{where} ORDER BY created_at, id", params
        ) as cursor:
            async for row in cursor:
                yield _help_event(row)

    # -- user profiles (users.info cache) ------------------------------------------------

    async def get_profile(self, *, team_id: str, user_id: str) -> UserProfile | None:
        cursor = await self._reader.execute(
            "SELECT * FROM user_profiles WHERE team_id = ? AND user_id = ?", (team_id, user_id)
        )
        row = await cursor.fetchone()
        return _profile(row) if row else None

    async def save_profile(self, profile: UserProfile) -> None:
        async def write(conn: aiosqlite.Connection) -> None:
            await conn.execute(
                "INSERT INTO user_profiles (team_id, user_id, name, is_bot, deleted, is_admin, tz,"
                " locale, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (team_id, user_id) DO UPDATE SET name = excluded.name,"
                " is_bot = excluded.is_bot, deleted = excluded.deleted,"
                " is_admin = excluded.is_admin, tz = excluded.tz, locale = excluded.locale,"
                " fetched_at = excluded.fetched_at",
                (
                    profile.team_id,
                    profile.user_id,
                    profile.name,
                    int(profile.is_bot),
                    int(profile.deleted),
                    int(profile.is_admin),
                    profile.tz,
                    profile.locale,
                    to_epoch(profile.fetched_at or datetime.now(UTC)),
                ),
            )

        await self._writer.run(write)


def _help_event(row: Any) -> HelpEvent:
    return HelpEvent(
        id=row["id"],
        team_id=row["team_id"],
        giver_id=row["giver_id"],
        receiver_id=row["receiver_id"],
        note=row["note"],
        source=row["source"],
        channel_id=row["channel_id"],
        created_at=from_epoch(row["created_at"]),
        key=row["idem_key"],
        counted=bool(row["counted"]),
    )


def _profile(row: Any) -> UserProfile:
    return UserProfile(
        team_id=row["team_id"],
        user_id=row["user_id"],
        name=row["name"],
        is_bot=bool(row["is_bot"]),
        deleted=bool(row["deleted"]),
        is_admin=bool(row["is_admin"]),
        tz=row["tz"],
        locale=row["locale"],
        fetched_at=from_epoch(row["fetched_at"]),
    )
