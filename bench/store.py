"""Benchmark 2: writing help events through the store against raw sqlite3.

* bulk: ``store.events.record`` of N events vs one ``executemany`` of the same rows;
* durable single writes: C concurrent requests each recording one event and awaiting its
  commit, vs raw sqlite3 committing one row at a time, vs a naive aiosqlite
  await-per-row path. Same file system, same PRAGMAs (WAL, synchronous=FULL).

    python -m bench.store [--events 100000] [--writes 3000] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

from bench.common import Outcome, exit_code, progress, say
from bot.domain.records import HelpEvent
from storage import Store
from storage.dbtypes import to_epoch

TEAM = "TBENCH"
RAW_INSERT = (
    "INSERT INTO help_events (team_id, giver_id, receiver_id, note, source, channel_id,"
    " created_at, idem_key, counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def make_events(
    count: int, *, people: int = 2000, seed: int = 7, prefix: str = "b"
) -> list[HelpEvent]:
    """Distinct pairs spread over a year, so the per-pair daily cap rarely applies."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    events = []
    for i in range(count):
        giver = rng.randrange(people)
        receiver = (giver + 1 + rng.randrange(people - 1)) % people
        events.append(
            HelpEvent(
                team_id=TEAM,
                giver_id=f"U{giver:06d}",
                receiver_id=f"U{receiver:06d}",
                note="for the review of the deploy script",
                source="command",
                channel_id="C0001",
                created_at=start + timedelta(seconds=rng.randrange(365 * 86400)),
                key=f"{prefix}:{i}",
            )
        )
    return events


def raw_row(event: HelpEvent) -> tuple[object, ...]:
    return (
        event.team_id,
        event.giver_id,
        event.receiver_id,
        event.note,
        event.source,
        event.channel_id,
        to_epoch(event.created_at),
        event.key,
        1,
    )


async def fresh_database(directory: Path, name: str) -> Path:
    """A migrated, empty database file (the real schema and indexes)."""
    path = directory / f"{name}.db"
    store = await Store.open(path)
    await store.close()
    return path


def raw_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def count_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM help_events").fetchone()[0])


async def bulk(directory: Path, events: list[HelpEvent], outcome: Outcome) -> None:
    rows = [raw_row(e) for e in events]
    raw_path = await fresh_database(directory, "bulk_raw")
    conn = raw_connect(raw_path)
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(RAW_INSERT, rows)
    conn.execute("COMMIT")
    raw_seconds = time.perf_counter() - started
    conn.close()

    store_path = await fresh_database(directory, "bulk_store")
    store = await Store.open(store_path)
    started = time.perf_counter()
    inserted = await store.events.record(events)
    store_seconds = time.perf_counter() - started
    await store.close()
    assert all(inserted) and count_rows(store_path) == len(events) == count_rows(raw_path)

    raw_rate, store_rate = len(events) / raw_seconds, len(events) / store_seconds
    outcome.rows.append(
        {
            "case": f"bulk {len(events):,} events",
            "path": "raw sqlite3 executemany",
            "seconds": raw_seconds,
            "events_per_s": raw_rate,
        }
    )
    outcome.rows.append(
        {
            "case": f"bulk {len(events):,} events",
            "path": "store.events.record",
            "seconds": store_seconds,
            "events_per_s": store_rate,
        }
    )
    say(f"bulk: raw {raw_rate:,.0f}/s, store {store_rate:,.0f}/s")
    outcome.check(
        "bulk: store / raw executemany",
        store_rate / raw_rate,
        ">= 0.5",
        store_rate / raw_rate >= 0.5,
    )


def raw_per_row(path: Path, events: list[HelpEvent]) -> float:
    """One autocommitted INSERT per row: each is its own transaction and fsync."""
    conn = raw_connect(path)
    started = time.perf_counter()
    with progress() as bar:
        task = bar.add_task("raw sqlite3, commit per row", total=len(events))
        for event in events:
            conn.execute(RAW_INSERT, raw_row(event))
            bar.advance(task)
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


async def naive_per_row(path: Path, events: list[HelpEvent], concurrency: int) -> float:
    """What a first aiosqlite version does: each request awaits its own transaction."""
    conn = await aiosqlite.connect(path, isolation_level=None)
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA synchronous = FULL")
    lock = asyncio.Lock()
    queue = iter(events)

    async def request_loop() -> None:
        for event in queue:
            async with lock:
                await conn.execute("BEGIN IMMEDIATE")
                await conn.execute(RAW_INSERT, raw_row(event))
                await conn.execute("COMMIT")

    started = time.perf_counter()
    await asyncio.gather(*(request_loop() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    await conn.close()
    return seconds


async def store_concurrent(path: Path, events: list[HelpEvent], concurrency: int) -> float:
    """Concurrent requests each recording one event: the writer group-commits them."""
    store = await Store.open(path)
    queue = iter(events)

    async def request_loop() -> None:
        for event in queue:
            [new] = await store.events.record([event])
            assert new

    started = time.perf_counter()
    await asyncio.gather(*(request_loop() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    await store.close()
    return seconds


async def single_writes(directory: Path, writes: int, concurrency: int, outcome: Outcome) -> None:
    events = make_events(writes, seed=11, prefix="w")
    paths = {name: await fresh_database(directory, name) for name in ("raw1", "naive", "store1")}
    timings = {
        "raw sqlite3, one commit per row": await asyncio.to_thread(
            raw_per_row, paths["raw1"], events
        ),
        f"naive aiosqlite, await per row ({concurrency} concurrent)": await naive_per_row(
            paths["naive"], events, concurrency
        ),
        f"store, group commit ({concurrency} concurrent)": await store_concurrent(
            paths["store1"], events, concurrency
        ),
    }
    for path in paths.values():
        assert count_rows(path) == writes
    rates = {name: writes / seconds for name, seconds in timings.items()}
    raw_rate = next(iter(rates.values()))
    for name, rate in rates.items():
        outcome.rows.append(
            {
                "case": f"{writes:,} durable single-event writes",
                "path": name,
                "seconds": timings[name],
                "events_per_s": rate,
                "vs_raw": rate / raw_rate,
            }
        )
        say(f"{name}: {rate:,.0f}/s ({rate / raw_rate:.2f}x raw)")
    naive_rate, store_rate = list(rates.values())[1:]
    outcome.check(
        "durable writes: store / raw per-row commit",
        store_rate / raw_rate,
        ">= 0.5",
        store_rate / raw_rate >= 0.5,
    )
    outcome.notes.append(f"naive aiosqlite await-per-row reaches {naive_rate / raw_rate:.2f}x raw")


async def main_async(args: argparse.Namespace) -> Outcome:
    outcome = Outcome("store")
    with tempfile.TemporaryDirectory(prefix="giveback-bench-", dir=args.dir) as tmp:
        directory = Path(tmp)
        say(f"[bold]store benchmark[/] in {directory}")
        await bulk(directory, make_events(args.events), outcome)
        await single_writes(directory, args.writes, args.concurrency, outcome)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--dir", default=None, help="where the databases go (default: $TMPDIR)")
    args = parser.parse_args(argv)
    outcome = asyncio.run(main_async(args))
    outcome.save()
    return exit_code(outcome)


if __name__ == "__main__":
    sys.exit(main())
