"""The nudge log: claim, send, mark. Each scheduled message is sent at most once per key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.domain.nudges import LastContact, NudgeKey
from storage.dbtypes import Connection, Database, from_epoch, to_epoch
from storage.dialect import dialect_of

_KEY = "team_id = ? AND recipient_id = ? AND kind = ? AND period = ?"


@dataclass(frozen=True)
class Claim:
    """This sweep may send ``key``. ``uncertain``: an earlier claim may have sent it already."""

    key: NudgeKey
    attempts: int
    uncertain: bool
    first_claimed_at: datetime


@dataclass(frozen=True)
class NudgeRecord:
    key: NudgeKey
    status: str
    attempts: int
    claimed_at: datetime
    sent_at: datetime | None
    channel_id: str | None
    message_ts: str | None
    detail: str


def _params(key: NudgeKey) -> tuple[str, str, str, str]:
    return (key.team_id, key.recipient_id, key.kind, key.period)


class NudgeStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = dialect_of(db)

    async def claim(self, key: NudgeKey, *, now: datetime, lease: timedelta) -> Claim | None:
        """Claim ``key`` for sending, atomically.

        Succeeds for a new key, a released one, or a claim older than ``lease`` (its sweep
        died); fails (None) when the key was sent, skipped, or another sweep holds it.
        SQLite: one conditional upsert (one writer; BEGIN IMMEDIATE across processes).
        PostgreSQL (several processes): the row is locked with FOR UPDATE SKIP LOCKED, so a
        sweep in another process never waits for, nor takes, a row that one is claiming.
        """
        claim = _claim_locked if self._dialect.several_processes else _claim_upsert
        values = (*_params(key), to_epoch(now), to_epoch(now - lease))

        async def write(conn: Connection) -> Any:
            return await claim(conn, values)

        row = await self._db.write(write)
        if row is None:
            return None
        return Claim(key, row[0], bool(row[1]), from_epoch(row[2]))

    async def mark_sent(
        self, key: NudgeKey, *, channel_id: str, message_ts: str, now: datetime
    ) -> None:
        await self._update(
            key,
            "status = 'sent', channel_id = ?, message_ts = ?, sent_at = ?, uncertain = 0",
            (channel_id, message_ts, to_epoch(now)),
        )

    async def mark_skipped(self, key: NudgeKey, *, reason: str) -> None:
        await self._update(key, "status = 'skipped', detail = ?", (reason,))

    async def release(self, key: NudgeKey, *, uncertain: bool, reason: str) -> None:
        """Give a claim back after a failure, to be claimed again by the next sweep."""
        await self._update(
            key, "status = 'pending', uncertain = ?, detail = ?", (int(uncertain), reason)
        )

    async def _update(self, key: NudgeKey, assignments: str, values: tuple[Any, ...]) -> None:
        async def write(conn: Connection) -> None:
            await conn.execute(
                f"UPDATE nudge_log SET {assignments} WHERE {_KEY} AND status = 'claimed'",
                (*values, *_params(key)),
            )

        await self._db.write(write)

    async def get(self, key: NudgeKey) -> NudgeRecord | None:
        row = await self._db.fetchone(f"SELECT * FROM nudge_log WHERE {_KEY}", _params(key))
        return _record(row) if row else None

    async def records(self, team_id: str) -> list[NudgeRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM nudge_log WHERE team_id = ? ORDER BY claimed_at, recipient_id, kind",
            (team_id,),
        )
        return [_record(row) for row in rows]

    async def sent_to(self, team_id: str, kind: str) -> set[str]:
        """Everyone a message of ``kind`` was sent to (for ``once`` kinds: who had theirs)."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT recipient_id FROM nudge_log"
            " WHERE team_id = ? AND kind = ? AND status = 'sent'",
            (team_id, kind),
        )
        return {row[0] for row in rows}

    async def last_contact(
        self, team_id: str, recipient_id: str, kinds: tuple[str, ...]
    ) -> LastContact | None:
        """The latest message of ``kinds`` sent (or possibly sent) to someone: for cooldowns."""
        marks = ", ".join("?" for _ in kinds)
        row = await self._db.fetchone(
            "SELECT coalesce(sent_at, claimed_at) AS at, period FROM nudge_log"
            f" WHERE team_id = ? AND recipient_id = ? AND kind IN ({marks})"
            " AND status IN ('sent', 'claimed') ORDER BY at DESC LIMIT 1",
            (team_id, recipient_id, *kinds),
        )
        return LastContact(from_epoch(row["at"]), row["period"]) if row else None


Values = tuple[str, str, str, str, int, int]  # the key, now, and the oldest live claim


async def _claim_upsert(conn: Any, values: Values) -> Any:
    """Insert the claim, or take over a released or expired one, in one statement."""
    *key, now, expired = values
    cursor = await conn.execute(
        "INSERT INTO nudge_log (team_id, recipient_id, kind, period, status, claimed_at,"
        " first_claimed_at) VALUES (?, ?, ?, ?, 'claimed', ?, ?)"
        " ON CONFLICT (team_id, recipient_id, kind, period) DO UPDATE SET"
        " status = 'claimed', claimed_at = excluded.claimed_at,"
        " attempts = nudge_log.attempts + 1,"
        " uncertain = CASE WHEN nudge_log.status = 'claimed' THEN 1 ELSE nudge_log.uncertain END"
        " WHERE nudge_log.status = 'pending'"
        " OR (nudge_log.status = 'claimed' AND nudge_log.claimed_at <= ?)"
        " RETURNING attempts, uncertain, first_claimed_at",
        (*key, now, now, expired),
    )
    return await cursor.fetchone()


async def _claim_locked(conn: Any, values: Values) -> Any:
    """Lock the key's row if nobody else holds it, then insert or take it over.

    A row locked by another transaction is skipped, not waited for: that sweep is claiming
    it. A row inserted concurrently makes the insert do nothing (or fail to serialize, and
    the whole claim is retried, then sees the row).
    """
    *key, now, expired = values
    cursor = await conn.execute(
        f"SELECT status, claimed_at FROM nudge_log WHERE {_KEY} FOR UPDATE SKIP LOCKED", key
    )
    row = await cursor.fetchone()
    if row is None:
        cursor = await conn.execute(
            "INSERT INTO nudge_log (team_id, recipient_id, kind, period, status, claimed_at,"
            " first_claimed_at) VALUES (?, ?, ?, ?, 'claimed', ?, ?) ON CONFLICT DO NOTHING"
            " RETURNING attempts, uncertain, first_claimed_at",
            (*key, now, now),
        )
        return await cursor.fetchone()  # None: another sweep holds the row, or just made it
    status, claimed_at = row[0], row[1]
    if not (status == "pending" or (status == "claimed" and claimed_at <= expired)):
        return None
    cursor = await conn.execute(
        "UPDATE nudge_log SET status = 'claimed', claimed_at = ?, attempts = attempts + 1,"
        " uncertain = CASE WHEN status = 'claimed' THEN 1 ELSE uncertain END"
        f" WHERE {_KEY} RETURNING attempts, uncertain, first_claimed_at",
        (now, *key),
    )
    return await cursor.fetchone()


def _record(row: Any) -> NudgeRecord:
    return NudgeRecord(
        key=NudgeKey(row["team_id"], row["recipient_id"], row["kind"], row["period"]),
        status=row["status"],
        attempts=row["attempts"],
        claimed_at=from_epoch(row["claimed_at"]),
        sent_at=from_epoch(row["sent_at"]) if row["sent_at"] is not None else None,
        channel_id=row["channel_id"],
        message_ts=row["message_ts"],
        detail=row["detail"],
    )
