"""A generated workspace: people, and help events with power-law helpers and reciprocity.

Rows are generated with numpy and written with ``executemany`` straight into a database
migrated with the real schema (indexes included), then cached by size and seed.

* givers: Zipf-like (weight ~ rank^-1.1): a few people help very often, most rarely;
* receivers: a milder power law (rank^-0.6), independent of how much they give;
* reciprocity: 30% of events give back along an earlier edge (the receiver helps the giver);
* time: spread over two years before ``NOW``, inserted in time order;
* notes: in the thanker's language (30% write Japanese), mostly about one of the helper's
  specialties, a quarter without a note (reactions); see bench/notes.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bench.common import progress, say
from bench.notes import Vocabulary, notes, specialties, writes_japanese
from storage.backends import sqlite as db

TEAM = "TBENCH"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
SPAN_DAYS = 730
RECIPROCITY = 0.3
CHUNK = 100_000
VERSION = 7  # bump when the generator or the schema changes: cached files are rebuilt
BEFORE_TOTALS = 6  # the schema version before the running totals (migration 0007)


@dataclass(frozen=True)
class Workspace:
    path: Path
    people: int
    events: int
    giver_weights: np.ndarray  # how active each person is as a helper (sums to 1)
    vocabulary: Vocabulary  # the topics notes are about
    specialties: np.ndarray  # per person, the topics they are thanked for most
    japanese: np.ndarray  # per person, whether they write in Japanese


def person(i: int) -> str:
    return f"U{i:07d}"


def _weights(people: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    weights = 1.0 / np.arange(1, people + 1) ** exponent
    rng.shuffle(weights)  # activity is not tied to the id
    return weights / weights.sum()


def generate(directory: Path, events: int, people: int = 20_000, seed: int = 1) -> Workspace:
    """Build (or reuse) a database holding ``events`` help events among ``people``."""
    rng = np.random.default_rng(seed)
    giver_weights = _weights(people, 1.1, rng)
    receiver_weights = _weights(people, 0.6, rng)
    words = np.random.default_rng(seed + 1000)  # its own stream: the events stay as they were
    vocabulary = Vocabulary.make(words)
    special = specialties(people, vocabulary, words)
    japanese = writes_japanese(people, words)
    space = Workspace(
        directory / f"workspace-v{VERSION}-{people}p-{events}e-s{seed}.db",
        people,
        events,
        giver_weights,
        vocabulary,
        special,
        japanese,
    )
    path = space.path
    if path.exists() and _complete(path, events):
        return space
    path.unlink(missing_ok=True)
    # Events go in before the running totals exist; the totals migration then builds them in
    # one GROUP BY pass, as it does for a real ledger upgraded in place.
    asyncio.run(_migrate(path, upto=BEFORE_TOTALS))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")  # bulk load; WAL again when done
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    end = int(NOW.timestamp())
    times = np.sort(rng.integers(end - SPAN_DAYS * 86400, end, size=events))
    insert = (
        "INSERT INTO help_events (team_id, giver_id, receiver_id, note, source, channel_id,"
        " created_at, idem_key, counted) VALUES (?, ?, ?, ?, ?, 'C0001', ?, ?, 1)"
    )
    givers_all = rng.choice(people, size=events, p=giver_weights)
    receivers_all = rng.choice(people, size=events, p=receiver_weights)
    # Give back along an earlier edge: event i becomes (receiver_j -> giver_j) for some j < i.
    back = np.flatnonzero(rng.random(events) < RECIPROCITY)
    back = back[back > 0]
    earlier = (rng.random(back.size) * back).astype(np.int64)
    givers_all[back], receivers_all[back] = receivers_all[earlier], givers_all[earlier]
    same = givers_all == receivers_all
    receivers_all[same] = (receivers_all[same] + 1) % people
    with progress() as bar:
        task = bar.add_task(f"generating {events:,} help events", total=events)
        for start in range(0, events, CHUNK):
            stop = min(events, start + CHUNK)
            givers, receivers = givers_all[start:stop], receivers_all[start:stop]
            # The giver helped and the receiver thanked them: see bench/notes.py.
            texts = notes(receivers, givers, vocabulary, special, japanese, words)
            rows = [
                (
                    TEAM,
                    person(g),
                    person(r),
                    note,
                    "command" if note else "reaction",
                    int(t),
                    f"gen:{i}",
                )
                for i, g, r, note, t in zip(
                    range(start, stop),
                    givers.tolist(),
                    receivers.tolist(),
                    texts,
                    times[start:stop].tolist(),
                    strict=True,
                )
            ]
            conn.executemany(insert, rows)
            bar.advance(task, stop - start)
    conn.execute("COMMIT")
    started = time.perf_counter()
    asyncio.run(_migrate(path))
    say(f"  running totals built in {time.perf_counter() - started:.1f} s")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return space


def _complete(path: Path, events: int) -> bool:
    try:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT count(*) FROM help_events").fetchone()[0] == events
    except sqlite3.Error:
        return False


async def _migrate(path: Path, upto: int | None = None) -> None:
    conn = await db.connect(path)
    try:
        await db.migrate(conn, upto=upto)
    finally:
        await conn.close()
