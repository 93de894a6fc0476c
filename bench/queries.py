"""Benchmark 3: queries at scale on a generated workspace (bench/dataset.py).

For each size (50k ... 5M help events among 20k people): p50/p99 of ``/giveback``'s ledger
query through the real store, for people drawn by activity (the busiest ask most, and have
the most rows) and uniformly. Writes a growth table and a PNG plot.

    python -m bench.queries [--sizes 50000,200000,1000000,5000000] [--queries 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

from bench.common import RESULTS, Outcome, exit_code, percentile, progress, say
from bench.dataset import NOW, TEAM, Workspace, generate, person
from storage.sqlite import SqliteStore

DATA = Path(os.environ.get("GIVEBACK_BENCH_DATA", Path(tempfile.gettempdir()) / "giveback-bench"))
WINDOW = timedelta(days=90)


async def ledger_latencies(space: Workspace, users: list[str], budget: float) -> list[float]:
    """Query the ledger of each user in turn, for at most ``budget`` seconds (bounded run)."""
    store = await SqliteStore.open(space.path, migrate=False)
    since = NOW - WINDOW
    try:
        for user in users[:20]:  # warm the page cache the way a running bot has it
            await store.events.ledger(team_id=TEAM, user_id=user, since=since)
        latencies = []
        with progress() as bar:
            task = bar.add_task(f"ledger queries, {space.events:,} events", total=len(users))
            deadline = time.perf_counter() + budget
            for user in users:
                started = time.perf_counter()
                await store.events.ledger(team_id=TEAM, user_id=user, since=since)
                latencies.append(time.perf_counter() - started)
                bar.advance(task)
                if started > deadline:
                    break
        return latencies
    finally:
        await store.close()


def plot(rows: list[dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    events = [r["events"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    ax.plot(events, [r["ledger_p99_ms"] for r in rows], "o-", label="ledger p99 (by activity)")
    ax.plot(events, [r["ledger_p50_ms"] for r in rows], "o--", label="ledger p50 (by activity)")
    ax.plot(events, [r["uniform_p99_ms"] for r in rows], "s:", label="ledger p99 (uniform)")
    ax.axhline(50, color="grey", linewidth=0.8, linestyle="--", label="target p99 50 ms")
    ax.set_xscale("log")
    ax.set_xlabel("help events in the workspace (20k people)")
    ax.set_ylabel("milliseconds")
    ax.set_title("/giveback ledger query time as the history grows")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__)
    parser.add_argument("--sizes", default="50000,200000,1000000,5000000")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of queries per size")
    args = parser.parse_args(argv)
    DATA.mkdir(parents=True, exist_ok=True)
    outcome = Outcome("queries")
    rng = np.random.default_rng(5)
    for events in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        space = generate(DATA, events, args.people)
        built = time.perf_counter() - started
        by_activity = [
            person(i) for i in rng.choice(space.people, args.queries, p=space.giver_weights)
        ]
        uniform = [person(i) for i in rng.choice(space.people, args.queries // 4)]
        active = asyncio.run(ledger_latencies(space, by_activity, args.budget))
        spread = asyncio.run(ledger_latencies(space, uniform, args.budget / 4))
        row = {
            "events": events,
            "people": space.people,
            "ledger_p50_ms": percentile(active, 50) * 1000,
            "ledger_p99_ms": percentile(active, 99) * 1000,
            "ledger_max_ms": max(active) * 1000,
            "uniform_p99_ms": percentile(spread, 99) * 1000,
            "queries": len(active),
            "database_mb": space.path.stat().st_size / 1e6,
            "generate_s": built,
        }
        outcome.rows.append(row)
        say(
            f"{events:>9,} events: ledger p50 {row['ledger_p50_ms']:.2f} ms, p99 {row['ledger_p99_ms']:.2f} ms"
            f" (uniform p99 {row['uniform_p99_ms']:.2f} ms), db {row['database_mb']:.0f} MB,"
            f" generated/opened in {built:.1f} s"
        )
    largest = outcome.rows[-1]
    outcome.check(
        f"ledger p99 at {largest['events']:,} events (ms)",
        largest["ledger_p99_ms"],
        "< 50",
        largest["ledger_p99_ms"] < 50,
    )
    plot(outcome.rows, RESULTS / "queries_growth.png")
    outcome.notes.append(
        "Network view and the nudge-planning sweep need the insights and nudges branches: not measured yet."
    )
    outcome.save()
    return exit_code(outcome)


if __name__ == "__main__":
    sys.exit(main())
