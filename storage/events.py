"""Help events: who helped whom, the record everything else is counted from."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from bot.domain.records import HelpEvent, Ledger, PersonCount, Stored
from storage.analyzer import Terms, analyze
from storage.dbtypes import Connection, Database, from_epoch, to_epoch
from storage.dialect import Dialect, dialect_of
from storage.topics import IndexedNote, index_notes

DEFAULT_DAILY_CAP = 3
SMALL_BATCH = 3


class HelpEventStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = dialect_of(db)

    async def record(
        self, events: Sequence[HelpEvent], *, daily_cap: int = DEFAULT_DAILY_CAP
    ) -> list[bool]:
        """Store events atomically; return, per event, whether it was new (False: a redelivery).

        Beyond ``daily_cap`` events for the same giver and receiver on one UTC day, an event
        is stored with ``counted = 0``: announced and exported, left out of balances. Public
        notes are indexed in the same transaction (storage/topics.py); their words are read
        before the write, so the single writer never waits for the analyser.
        """

        return [stored.new for stored in await self.record_each(events, daily_cap=daily_cap)]

    async def record_each(
        self, events: Sequence[HelpEvent], *, daily_cap: int = DEFAULT_DAILY_CAP
    ) -> list[Stored]:
        """Like :meth:`record`, saying also whether each new event counts (the daily cap)."""
        terms = [note_terms(event) for event in events]

        async def write(conn: Connection) -> list[Stored]:
            return await _insert_many(conn, events, daily_cap, self._dialect, terms)

        return await self._db.write(write, locked=True) if events else []

    async def delete(self, *, team_id: str, key: str) -> bool:
        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "DELETE FROM help_events WHERE team_id = ? AND idem_key = ?", (team_id, key)
            )
            return cursor.rowcount > 0

        return bool(await self._db.write(write))

    async def get(self, *, team_id: str, key: str) -> HelpEvent | None:
        row = await self._db.fetchone(
            "SELECT * FROM help_events WHERE team_id = ? AND idem_key = ?", (team_id, key)
        )
        return help_event(row) if row else None

    async def thanks_to(self, *, team_id: str, user_id: str, limit: int) -> list[HelpEvent]:
        """The latest thanks ``user_id`` received (help they gave), newest first."""
        rows = await self._db.fetchall(
            "SELECT * FROM help_events WHERE team_id = ? AND giver_id = ?"
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (team_id, user_id, limit),
        )
        return [help_event(row) for row in rows]

    async def ledger(self, *, team_id: str, user_id: str, since: datetime, top: int = 5) -> Ledger:
        """What one person did: in the window starting at ``since`` and all time.

        Read from the running totals (help_daily, help_pairs): whole days after ``since``
        come from the daily rows, the part of ``since``'s own day from the events themselves.
        A pair whose last help falls in the window is a colleague helped in it. Offers and
        asks come from their own (small, per-person indexed) rows.
        """
        start = to_epoch(since)
        row = await self._db.fetchone(LEDGER, {"t": team_id, "u": user_id, **window(start)})
        assert row is not None
        return Ledger(
            user_id=user_id,
            given_recent=int(row[0]),
            received_recent=int(row[1]),
            given_total=int(row[2]),
            received_total=int(row[3]),
            colleagues_helped=int(row[4]),
            colleagues_helping=int(row[5]),
            offers_recent=int(row[6]),
            asks_recent=int(row[7]),
            top_helpers=await self._top(team_id, user_id, helpers=True, limit=top) if top else [],
            top_helped=await self._top(team_id, user_id, helpers=False, limit=top) if top else [],
        )

    async def _top(
        self, team_id: str, user_id: str, *, helpers: bool, limit: int
    ) -> list[PersonCount]:
        # Two fixed queries rather than formatting column names into SQL.
        sql = (
            "SELECT giver_id, n FROM help_pairs WHERE team_id = ? AND receiver_id = ?"
            " ORDER BY n DESC, last_at DESC, giver_id LIMIT ?"
            if helpers
            else "SELECT receiver_id, n FROM help_pairs WHERE team_id = ? AND giver_id = ?"
            " ORDER BY n DESC, last_at DESC, receiver_id LIMIT ?"
        )
        return [
            PersonCount(row[0], row[1])
            for row in await self._db.fetchall(sql, (team_id, user_id, limit))
        ]

    async def export(
        self, *, team_id: str | None = None, since: datetime | None = None
    ) -> AsyncIterator[HelpEvent]:
        """Every help event, oldest first, optionally for one workspace and from a moment on."""
        clauses: list[str] = []
        params: list[str | int] = []
        if team_id is not None:
            clauses.append("team_id = ?")
            params.append(team_id)
        if since is not None:
            clauses.append("created_at >= ?")
            params.append(to_epoch(since))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        async with self._db.reader.execute(
            f"SELECT * FROM help_events{where} ORDER BY created_at, id", params
        ) as cursor:
            async for row in cursor:
                yield help_event(row)


DAY = 86400


def window(start: int) -> dict[str, int]:
    """Parameters splitting a window that opens at ``start``: whole days after its first day
    (``:d``, read from help_daily) and the rest of that first day (``:s`` to ``:e``, read from
    the events)."""
    day = start // DAY
    return {"d": day, "s": start, "e": (day + 1) * DAY}


LEDGER = (
    "SELECT coalesce(sum(CASE WHEN day > :d THEN given ELSE 0 END), 0)"
    " + (SELECT count(*) FROM help_events WHERE team_id = :t AND giver_id = :u AND counted = 1"
    "   AND created_at >= :s AND created_at < :e),"
    " coalesce(sum(CASE WHEN day > :d THEN received ELSE 0 END), 0)"
    " + (SELECT count(*) FROM help_events WHERE team_id = :t AND receiver_id = :u AND counted = 1"
    "   AND created_at >= :s AND created_at < :e),"
    " coalesce(sum(given), 0), coalesce(sum(received), 0),"
    " (SELECT count(*) FROM help_pairs WHERE team_id = :t AND giver_id = :u AND last_at >= :s),"
    " (SELECT count(*) FROM help_pairs WHERE team_id = :t AND receiver_id = :u AND last_at >= :s),"
    " (SELECT count(*) FROM ask_people WHERE team_id = :t AND user_id = :u AND role = 'offered'"
    "   AND created_at >= :s),"
    " (SELECT count(*) FROM asks WHERE team_id = :t AND asker_id = :u AND created_at >= :s"
    "   AND status IN ('open', 'resolved', 'withdrawn'))"
    " FROM help_daily WHERE team_id = :t AND user_id = :u"
)


def note_terms(event: HelpEvent) -> Terms:
    """What the topic index takes from ``event``: the words of a public note, else nothing."""
    return analyze(event.note) if event.public and event.note else {}


async def insert_event(
    conn: Connection, event: HelpEvent, daily_cap: int, dialect: Dialect, terms: Terms
) -> bool:
    """Insert one event inside the caller's transaction (other areas record help atomically);
    ``terms``: :func:`note_terms` of it, read before the transaction."""
    [stored] = await _insert_many(conn, [event], daily_cap, dialect, [terms])
    return stored.new


# One statement per event, run by executemany (one round trip for a whole batch): the count
# sees rows inserted earlier in the same batch, so the daily cap holds within a batch too.
INSERT_CAPPED = (
    "INSERT INTO help_events (team_id, giver_id, receiver_id, note, source, channel_id,"
    " created_at, idem_key, public, counted)"
    " VALUES (:team_id, :giver_id, :receiver_id, :note, :source, :channel_id, :created_at, :key,"
    " :public, CASE WHEN (SELECT count(*) FROM help_events WHERE team_id = :team_id"
    "  AND giver_id = :giver_id AND receiver_id = :receiver_id AND created_at >= :day"
    "  AND created_at < :day_end AND counted = 1) < :cap THEN 1 ELSE 0 END)"
    # VALUES, not INSERT ... SELECT: the latter runs about 2x slower in executemany.
    " ON CONFLICT (team_id, idem_key) DO NOTHING"
)
# One at a time, the statement says what it did: a row back for a new event (counted or not),
# none for a key seen before. No second query, on either backend. Its id: for the topic index.
INSERT_CAPPED_RETURNING = INSERT_CAPPED + " RETURNING counted, id"


async def _insert_many(
    conn: Connection,
    events: Sequence[HelpEvent],
    daily_cap: int,
    dialect: Dialect,
    terms: Sequence[Terms],
) -> list[Stored]:
    """Insert events and index the new ones' ``terms``; return, per event, what was stored."""
    # A /thanks names a few people: one round trip each. An import on SQLite: two round trips
    # in all. PostgreSQL always goes one by one: each event takes its pair's lock first.
    ids: list[int | None] = [None] * len(events)
    if len(events) > SMALL_BATCH and dialect.existing_keys is not None:
        stored = await _insert_batch(conn, events, daily_cap, dialect.existing_keys)
    else:
        stored = await _insert_each(conn, events, daily_cap, dialect.pair_lock, ids)
    notes = []
    for event, outcome, event_id, found in zip(events, stored, ids, terms, strict=True):
        if outcome.new and found:
            known = event_id if event_id is not None else await _event_id(conn, event)
            notes.append(IndexedNote(known, event.team_id, event.giver_id, found))
    await index_notes(conn, notes, dialect)
    return stored


async def _event_id(conn: Connection, event: HelpEvent) -> int:
    cursor = await conn.execute(
        "SELECT id FROM help_events WHERE team_id = ? AND idem_key = ?", (event.team_id, event.key)
    )
    row = await cursor.fetchone()
    assert row is not None  # inserted in this transaction
    return int(row[0])


async def _insert_each(
    conn: Connection,
    events: Sequence[HelpEvent],
    daily_cap: int,
    pair_lock: str | None,
    ids: list[int | None],
) -> list[Stored]:
    """Insert one by one; ``ids`` gets each new event's id."""
    stored = [Stored.SEEN] * len(events)
    order: list[int] = list(range(len(events)))
    if pair_lock is not None:
        # Pairs locked in one order by every writer: two never wait on each other.
        order.sort(key=lambda i: tuple(_pair(events[i]).values()))
    for i in order:
        if pair_lock is not None:
            await conn.execute(pair_lock, _pair(events[i]))
        cursor = await conn.execute(INSERT_CAPPED_RETURNING, _params(events[i], daily_cap))
        row = await cursor.fetchone()
        if row is not None:
            stored[i] = Stored.COUNTED if row[0] else Stored.UNCOUNTED
            ids[i] = int(row[1])
    return stored


async def _insert_batch(
    conn: Connection, events: Sequence[HelpEvent], daily_cap: int, existing_keys: str
) -> list[Stored]:
    keys = [(e.team_id, e.key) for e in events]
    cursor = await conn.execute(existing_keys, {"keys": json.dumps(keys)})
    seen = {(row[0], row[1]) for row in await cursor.fetchall()}
    new = []
    for key in keys:
        new.append(key not in seen)
        seen.add(key)  # a key twice in one batch: the second is a redelivery
    await conn.executemany(INSERT_CAPPED, [_params(e, daily_cap) for e in events])
    # executemany returns no rows: one more read, in the same transaction, for the cap.
    cursor = await conn.execute(existing_keys, {"keys": json.dumps(keys)})
    counted = {(row[0], row[1]): bool(row[2]) for row in await cursor.fetchall()}
    return [
        (Stored.COUNTED if counted.get(key) else Stored.UNCOUNTED) if is_new else Stored.SEEN
        for key, is_new in zip(keys, new, strict=True)
    ]


def _pair(event: HelpEvent) -> dict[str, str]:
    low, high = sorted((event.giver_id, event.receiver_id))
    return {"team_id": event.team_id, "low": low, "high": high}


def _params(event: HelpEvent, daily_cap: int) -> dict[str, Any]:
    created_at = to_epoch(event.created_at)
    return {
        "team_id": event.team_id,
        "giver_id": event.giver_id,
        "receiver_id": event.receiver_id,
        "note": event.note,
        "source": event.source,
        "channel_id": event.channel_id,
        "created_at": created_at,
        "key": event.key,
        "public": int(event.public),
        "day": created_at - created_at % 86400,  # the UTC day it falls on
        "day_end": created_at - created_at % 86400 + 86400,
        "cap": daily_cap,
    }


def help_event(row: Any) -> HelpEvent:
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
        public=bool(row["public"]),
    )
