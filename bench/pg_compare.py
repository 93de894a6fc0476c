"""SQLite vs PostgreSQL for the same store workloads, and two processes vs one on PostgreSQL.

    .venv/bin/python -m bench.pg_compare            # starts a durable throwaway PostgreSQL

Workloads: concurrent /thanks-sized writes (one event per write, 64 in flight, as a busy
workspace acks them), the ledger read, and the export stream. PostgreSQL runs with fsync on
(durable) so commit costs compare fairly with SQLite's synchronous=FULL.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from bot.domain.records import HelpEvent
from storage import open_store
from tests.support import pgserver

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PEOPLE = 200


def event(n: int, prefix: str) -> HelpEvent:
    return HelpEvent(
        "T1",
        f"U{n % PEOPLE}",
        f"U{(n * 7 + 1) % PEOPLE}",
        "note",
        "command",
        "C1",
        T0 + timedelta(seconds=n),
        key=f"{prefix}{n}",
    )


async def writes(
    url: str, count: int, prefix: str, in_flight: int = 64
) -> tuple[float, list[float]]:
    store = await open_store(url)
    latencies: list[float] = []
    gate = asyncio.Semaphore(in_flight)

    async def one(n: int) -> None:
        async with gate:
            started = time.perf_counter()
            await store.events.record([event(n, prefix)])
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(count)))
    elapsed = time.perf_counter() - started
    await store.close()
    return elapsed, latencies


async def reads(url: str, count: int) -> tuple[float, float]:
    store = await open_store(url)
    started = time.perf_counter()
    for n in range(count):
        await store.events.ledger(team_id="T1", user_id=f"U{n % PEOPLE}", since=T0)
    ledger = (time.perf_counter() - started) / count
    started = time.perf_counter()
    exported = [e async for e in store.events.export(team_id="T1")]
    export = time.perf_counter() - started
    await store.close()
    return ledger, len(exported) / export


def _process_writes(url: str, count: int, prefix: str, queue: multiprocessing.Queue) -> None:
    queue.put(asyncio.run(writes(url, count, prefix))[0])


def processes(url: str, total: int, n: int) -> float:
    """Events per second when ``n`` processes share ``total`` writes on one database."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    started = time.perf_counter()
    workers = [
        multiprocessing.Process(target=_process_writes, args=(url, total // n, f"p{i}-", queue))
        for i in range(n)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return total / (time.perf_counter() - started)


def report(name: str, count: int, elapsed: float, latencies: list[float]) -> None:
    q = statistics.quantiles(latencies, n=100)
    print(f"| {name} | {count / elapsed:,.0f}/s | {q[49] * 1000:.1f} ms | {q[98] * 1000:.1f} ms |")


async def fresh_pg(server: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return pgserver.database_url(server, name)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pg_compare", description=__doc__)
    parser.add_argument("writes", nargs="?", type=int, default=5000, help="single-event writes")
    count = parser.parse_args().writes
    with tempfile.TemporaryDirectory() as tmp, pgserver.cluster(durable=True) as server:
        sqlite = f"sqlite:///{Path(tmp) / 'bench.db'}"
        pg = asyncio.run(fresh_pg(server))
        print(f"{count} single-event writes, 64 in flight\n")
        print("| backend | writes | p50 | p99 |\n|---|---|---|---|")
        for name, url in (("SQLite (WAL, FULL)", sqlite), ("PostgreSQL 15 (fsync on)", pg)):
            elapsed, latencies = asyncio.run(writes(url, count, "w"))
            report(name, count, elapsed, latencies)
        print("\n| backend | ledger read | export |\n|---|---|---|")
        for name, url in (("SQLite", sqlite), ("PostgreSQL", pg)):
            ledger, export = asyncio.run(reads(url, 500))
            print(f"| {name} | {ledger * 1000:.2f} ms | {export:,.0f} events/s |")
        print("\n| PostgreSQL, same total writes | events/s |\n|---|---|")
        for n in (1, 2):
            url = asyncio.run(fresh_pg(server))
            print(f"| {n} process{'es' if n > 1 else ''} | {processes(url, count, n):,.0f} |")


if __name__ == "__main__":
    main()
