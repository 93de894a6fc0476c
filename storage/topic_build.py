"""Building the topic index over the events recorded before it existed (migration 0012).

Events recorded since are indexed as they are written; the migration notes the last older
event id (``topic_build.build_until``), and this build works through the older ones helper by
helper (in the order of the ``help_events_by_giver`` index), a few thousand events a
transaction: each writes those helpers' note terms and their whole counts at once, and moves
the cursor (``done_team``, ``done_helper``) past them. So every note in ``note_terms`` is in
the counts (a removal subtracts exactly what was added), the bot serves while the build runs,
and a restart carries on after the last helper done. The words are read in worker processes
(the analyser is CPU-bound), overlapping the writes of earlier chunks.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from bot.domain.announce import announced_publicly
from bot.domain.settings import WorkspaceSettings
from storage.analyzer import Terms, analyze
from storage.dbtypes import Connection, Database
from storage.topics import IndexedNote, index_notes

log = logging.getLogger(__name__)
BATCH = 5000
IN_PROCESS = 20_000  # a backlog this small is read in-process, without starting workers
Progress = Callable[[int, int], None]  # (events done, events in all)
Settings = Callable[[str], Any]  # team_id -> awaitable WorkspaceSettings
Helper = tuple[str, str]  # (team_id, user_id): the build's order


@dataclass(frozen=True)
class _Row:
    event_id: int
    team_id: str
    helper_id: str
    note: str


@dataclass(frozen=True)
class _Chunk:
    after: Helper  # the cursor before it
    last: Helper  # the last helper it holds whole
    rows: list[_Row]  # their public notes
    read: int  # events read


async def pending(db: Database) -> bool:
    """Whether events from before the index still wait to be indexed."""
    state = await db.fetchone("SELECT counted FROM topic_build WHERE id = 1")
    return state is not None and not int(state[0])


def analyze_many(notes: Sequence[str]) -> list[Terms]:
    """The analyser over a batch (run in a worker process); a note seen earlier in the same
    batch is not read twice (short notes repeat: "for the review")."""
    seen: dict[str, Terms] = {}
    return [seen[n] if n in seen else seen.setdefault(n, analyze(n)) for n in notes]


async def build_topics(
    db: Database,
    workspace: Settings,
    *,
    batch: int = BATCH,
    workers: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Index every event recorded before the index existed; return how many events were read.

    ``workspace(team_id)`` gives a workspace's settings: an event recorded before 0012 has no
    ``public`` flag, and is indexed when its source, channel and the workspace's ``announce``
    setting say giveback announced it in a channel.
    """
    state = await db.fetchone(
        "SELECT done_team, done_helper, build_until, counted FROM topic_build WHERE id = 1"
    )
    if state is None or int(state[3]):
        return 0
    start: Helper = (state[0], state[1])
    until = int(state[2])
    backlog = await db.fetchone(
        "SELECT count(*) FROM help_events WHERE id <= ? AND (team_id, giver_id) > (?, ?)",
        (until, *start),
    )
    total = int(backlog[0]) if backlog else 0
    pool = _pool(workers) if total > IN_PROCESS else None
    try:
        return await _run(db, workspace, start, until, batch, pool, total, progress)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _pool(workers: int | None) -> Executor:
    # Spawned, not forked: the bot's process has threads (the store's) that a fork would copy
    # mid-flight.
    count = workers or max(1, min(4, os.cpu_count() or 1))
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"))


async def _run(
    db: Database,
    workspace: Settings,
    start: Helper,
    until: int,
    batch: int,
    pool: Executor | None,
    total: int,
    progress: Progress | None,
) -> int:
    loop = asyncio.get_running_loop()
    public = _PublicRule(workspace)
    ahead = (getattr(pool, "_max_workers", 1) or 1) + 1  # chunks read and analysed ahead
    inflight: list[tuple[_Chunk, asyncio.Future[list[Terms]]]] = []
    cursor: Helper | None = start
    done = 0
    while cursor is not None or inflight:
        while cursor is not None and len(inflight) < ahead:
            chunk = await _read(db, cursor, until, batch, public)
            if chunk is None:
                cursor = None
                break
            notes = [row.note for row in chunk.rows]
            future = (
                loop.run_in_executor(pool, analyze_many, notes)
                if pool is not None
                else _done(analyze_many(notes))
            )
            inflight.append((chunk, future))
            cursor = chunk.last
        if not inflight:
            break
        chunk, future = inflight.pop(0)
        if not await _write(db, chunk, until, await future):
            log.info("the topic index is being built by another process; stopping here")
            return done
        done += chunk.read
        if progress is not None:
            progress(done, total)
    await _finish(db)
    return done


def _done(value: list[Terms]) -> asyncio.Future[list[Terms]]:
    future: asyncio.Future[list[Terms]] = asyncio.get_running_loop().create_future()
    future.set_result(value)
    return future


class _PublicRule:
    """Whether an older event was announced publicly, by the rule new events are recorded with."""

    def __init__(self, workspace: Settings) -> None:
        self._workspace = workspace
        self._modes: dict[str, str] = {}

    async def __call__(self, row: Any) -> bool:
        if row["public"] is not None:
            return bool(row["public"])
        team = row["team_id"]
        if team not in self._modes:
            settings: WorkspaceSettings = await self._workspace(team)
            self._modes[team] = settings.announce
        return announced_publicly(self._modes[team], row["source"], row["channel_id"])


COLUMNS = "SELECT id, team_id, giver_id, note, source, channel_id, public FROM help_events"


async def _read(
    db: Database, after: Helper, until: int, batch: int, public: _PublicRule
) -> _Chunk | None:
    """The next helpers' older events, whole helpers only (one helper alone may exceed
    ``batch``); None when every helper is done."""
    rows = await db.fetchall(
        f"{COLUMNS} WHERE (team_id, giver_id) > (?, ?) AND id <= ?"
        " ORDER BY team_id, giver_id LIMIT ?",
        (*after, until, batch),
    )
    if not rows:
        return None
    # One workspace a chunk, so that its helpers are one range of help_events_by_giver.
    rows = [r for r in rows if r["team_id"] == rows[0]["team_id"]]
    last: Helper = (rows[-1]["team_id"], rows[-1]["giver_id"])
    if len(rows) == batch:  # (fewer: every helper of the workspace up to ``until`` is in)
        whole = [r for r in rows if (r["team_id"], r["giver_id"]) != last]
        if whole:  # the last helper may go on past the batch: theirs come next time
            rows, last = whole, (whole[-1]["team_id"], whole[-1]["giver_id"])
        else:  # one helper fills the batch: all of theirs, in one chunk
            rows = await db.fetchall(
                f"{COLUMNS} WHERE team_id = ? AND giver_id = ? AND id <= ?", (*last, until)
            )
    chosen = [
        _Row(int(r["id"]), r["team_id"], r["giver_id"], r["note"])
        for r in rows
        if r["note"] and await public(r)
    ]
    return _Chunk(after, last, chosen, len(rows))


async def _write(db: Database, chunk: _Chunk, until: int, terms: list[Terms]) -> bool:
    """Index one chunk of helpers and move the cursor past them; False if another builder
    got there first."""

    async def write(conn: Connection) -> bool:
        cursor = await conn.execute("SELECT done_team, done_helper FROM topic_build WHERE id = 1")
        state = await cursor.fetchone()
        if state is None or (state[0], state[1]) != chunk.after:
            return False
        # Only what is still as it was read: a note blanked or an event deleted meanwhile
        # (forget-me, a reaction taken back) stays out.
        team, last = chunk.last
        first = chunk.after[1] if chunk.after[0] == team else ""  # a new workspace: all of it
        cursor = await conn.execute(
            "SELECT id, note FROM help_events WHERE team_id = ? AND giver_id > ?"
            " AND giver_id <= ? AND id <= ? AND note <> ''",
            (team, first, last, until),
        )
        current = {int(r[0]): r[1] for r in await cursor.fetchall()}
        notes = [
            IndexedNote(row.event_id, row.team_id, row.helper_id, found)
            for row, found in zip(chunk.rows, terms, strict=True)
            if found and current.get(row.event_id) == row.note
        ]
        await index_notes(conn, notes)
        await conn.execute(
            "UPDATE topic_build SET done_team = ?, done_helper = ? WHERE id = 1", chunk.last
        )
        return True

    return bool(await db.write(write))


async def _finish(db: Database) -> None:
    """Every older helper is done: say so, so later starts skip the build."""

    async def write(conn: Connection) -> None:
        await conn.execute("UPDATE topic_build SET counted = 1 WHERE id = 1")

    await db.write(write)


async def reset(db: Database) -> None:
    """Empty the index and build it again from every event (after the analyser changed)."""

    async def write(conn: Connection) -> None:
        # Counts first, then the notes: the notes' triggers then find nothing left to subtract.
        for table in ("topic_words", "topic_people", "topic_terms", "note_terms"):
            await conn.execute(f"DELETE FROM {table}")  # names from this list, never input
        await conn.execute(
            "UPDATE topic_build SET done_team = '', done_helper = '', counted = 0,"
            " build_until = (SELECT coalesce(max(id), 0) FROM help_events) WHERE id = 1"
        )

    await db.write(write)
