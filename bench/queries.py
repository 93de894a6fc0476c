"""Benchmark 3: queries at scale on a generated workspace (bench/dataset.py, bench/people.py).

For each size (50k ... 5M help events among 20k people), through the real store:

* ``/giveback`` counts, ``/giveback network`` and ``/ask``'s give-first check p50/p99, for
  people drawn by activity (the busiest ask most, and have the most rows) and uniformly. The
  network figure is what the handler runs apart from Slack: store.insights.counterparts, then
  bot.domain.network's real_network and thank_back, then the Block Kit message
  (bot.views.home.network_message). The ``/ask`` figure is bot.services.asks.check_give_first,
  what ``/ask`` runs before its ack apart from Slack: the person's giving and asking from the
  running totals, and, for someone it would hold, the open asks they could help with. The
  workspace carries asks and offers for it (bench/favours.py);
* one nudge-planning sweep (bot.jobs.sweep.dry_run, what ``giveback nudge --dry-run`` does) in a
  fresh process: its time and peak RSS (bench/sweep_plan.py);
* the same on PostgreSQL for ``--pg-sizes``, the SQLite workspace copied in (bench/pg_load.py).

Writes a growth table and a PNG plot.

    python -m bench.queries [--sizes 50000,200000,1000000,5000000] [--pg-sizes 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import RESULTS, Outcome, exit_code, percentile, progress, say
from bench.dataset import NOW, TEAM, generate, person
from bench.favours import with_favours
from bench.growth_plot import QUERY_TARGET_MS, SWEEP_TARGET_S, plot
from bench.people import with_profiles
from bench.sweep_plan import plan_sweep
from bot.domain.network import VIEW_LIMIT, real_network, thank_back
from bot.services.asks import check_give_first
from bot.services.deps import Deps, build_deps
from bot.views.insights import network_message
from storage import open_store

DATA = Path(os.environ.get("GIVEBACK_BENCH_DATA", Path(tempfile.gettempdir()) / "giveback-bench"))
WINDOW = timedelta(days=90)
SWEEP_PEAK_TARGET_MB = 500
Query = Callable[[Deps, str], Awaitable[Any]]


async def ledger(deps: Deps, user: str) -> None:
    await deps.store.events.ledger(team_id=TEAM, user_id=user, since=NOW - WINDOW)


async def network(deps: Deps, user: str) -> None:
    """What ``/giveback network`` computes before it replies (handlers/insights.show_network)."""
    counterparts = await deps.store.insights.counterparts(
        team_id=TEAM, user_id=user, limit=VIEW_LIMIT
    )
    network_message(real_network(counterparts), thank_back(counterparts), "en", None, NOW)


async def ask(deps: Deps, user: str) -> None:
    """What ``/ask`` decides before it acks (handlers/asks.handle_ask), apart from Slack."""
    await check_give_first(deps, TEAM, user)


QUERIES: dict[str, Query] = {"ledger": ledger, "network": network, "ask": ask}


async def latencies(
    deps: Deps, query: Query, users: list[str], budget: float, label: str
) -> list[float]:
    """Run ``query`` for each user in turn, for at most ``budget`` seconds (bounded run)."""
    warm_until = time.perf_counter() + budget / 4
    for user in users[:20]:  # warm the page cache the way a running bot has it
        await query(deps, user)
        if time.perf_counter() > warm_until:
            break
    found = []
    with progress() as bar:
        task = bar.add_task(label, total=len(users))
        deadline = time.perf_counter() + budget
        for user in users:
            started = time.perf_counter()
            await query(deps, user)
            found.append(time.perf_counter() - started)
            bar.advance(task)
            if started > deadline:
                break
    return found


async def measure(
    url: str, label: str, by_activity: list[str], uniform: list[str], budget: float
) -> dict[str, Any]:
    """p50/p99 of every query for both draws; ``budget`` seconds per query, a quarter uniform."""
    row: dict[str, Any] = {}
    store = await open_store(url, migrate=False)
    deps = build_deps(store, lambda: NOW)
    try:
        for name, query in QUERIES.items():
            busy = await latencies(deps, query, by_activity, budget, f"{name}, {label}")
            spread = await latencies(deps, query, uniform, budget / 4, f"{name} uniform, {label}")
            row[f"{name}_p50_ms"] = percentile(busy, 50) * 1000
            row[f"{name}_p99_ms"] = percentile(busy, 99) * 1000
            row[f"{name}_uniform_p99_ms"] = percentile(spread, 99) * 1000
            row[f"{name}_queries"] = len(busy)
    finally:
        await store.close()
    return row


NO_SWEEP = {"sweep_s": None, "sweep_peak_mb": None, "sweep_messages": None}


SLOWEST: dict[str, str] = {}  # backend: where its last (largest) sweep spent its time


def sweep_columns(url: str, timeout: float, backend: str, events: int) -> dict[str, Any]:
    with progress() as bar:  # the child prints nothing until it is done: show it is running
        bar.add_task(f"dry-run sweep, {events:,} events, {backend}", total=None)
        sweep = plan_sweep(url, timeout=timeout)
    if sweep.get("store_calls"):
        slowest = sorted(sweep["store_calls"].items(), key=lambda item: -item[1][1])[:6]
        SLOWEST[backend] = (
            f"{backend} sweep at {events:,} events, slowest store calls: "
            + ", ".join(
                f"{name} {int(calls):,}x {seconds:.1f} s" for name, (calls, seconds) in slowest
            )
        )
    return {
        "sweep_s": sweep["seconds"],
        "sweep_peak_mb": sweep["peak_rss_mb"],
        "sweep_messages": sweep.get("messages"),
    }


def report(row: dict[str, Any]) -> None:
    sweep = (
        f"sweep {row['sweep_s']:.1f} s, peak {row['sweep_peak_mb']:.0f} MB"
        if row.get("sweep_s") is not None
        else "sweep " + ("over the timeout" if row.get("sweep_peak_mb") else "not run")
    )
    say(
        f"{row['backend']:>10} {row['events']:>9,} events: ledger p50 {row['ledger_p50_ms']:.2f}"
        f" p99 {row['ledger_p99_ms']:.2f} ms, network p50 {row['network_p50_ms']:.2f}"
        f" p99 {row['network_p99_ms']:.2f} ms (uniform p99 {row['ledger_uniform_p99_ms']:.2f} /"
        f" {row['network_uniform_p99_ms']:.2f} ms); /ask p50 {row['ask_p50_ms']:.2f}"
        f" p99 {row['ask_p99_ms']:.2f} ms; {sweep}"
    )


def checks(outcome: Outcome, backend: str) -> None:
    rows = [r for r in outcome.rows if r["backend"] == backend]
    if not rows:
        return
    largest = rows[-1]
    at = f"at {largest['events']:,} events, {backend}"
    for name in QUERIES:
        value = largest[f"{name}_p99_ms"]
        outcome.check(f"{name} p99 {at} (ms)", value, f"< {QUERY_TARGET_MS}", value < 50)
    swept = [r for r in rows if r["sweep_peak_mb"] is not None]
    if swept:
        row = swept[-1]
        at = f"at {row['events']:,} events, {backend}"
        seconds = row["sweep_s"]
        outcome.check(
            f"nudge-planning sweep {at} (s)",
            seconds if seconds is not None else float("inf"),
            f"< {SWEEP_TARGET_S}",
            seconds is not None and seconds < SWEEP_TARGET_S,
        )
        peak = row["sweep_peak_mb"]
        outcome.check(
            f"sweep peak RSS {at} (MB)",
            peak,
            f"< {SWEEP_PEAK_TARGET_MB}",
            peak < SWEEP_PEAK_TARGET_MB,
        )


def sizes(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__)
    parser.add_argument("--sizes", default="50000,200000,1000000,5000000")
    parser.add_argument("--sweep-sizes", default="50000,200000,1000000,5000000")
    parser.add_argument("--pg-sizes", default="1000000", help="'' to skip PostgreSQL")
    parser.add_argument("--pg-sweep-sizes", default="1000000,5000000")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per query and size")
    parser.add_argument("--sweep-timeout", type=float, default=120.0, help="seconds per sweep")
    args = parser.parse_args(argv)
    DATA.mkdir(parents=True, exist_ok=True)
    outcome = Outcome("queries")
    rng = np.random.default_rng(5)
    pg_sizes, sweep_sizes = sizes(args.pg_sizes), sizes(args.sweep_sizes)
    with ExitStack() as stack:
        server = start_postgres(stack, outcome) if pg_sizes else None
        for events in sizes(args.sizes):
            started = time.perf_counter()
            space = generate(DATA, events, args.people)
            path = with_favours(with_profiles(space))
            built = time.perf_counter() - started
            by_activity = [
                person(i) for i in rng.choice(space.people, args.queries, p=space.giver_weights)
            ]
            uniform = [person(i) for i in rng.choice(space.people, args.queries // 4)]
            url = f"sqlite:///{path}"
            label = f"{events:,} events, SQLite"
            row = {"backend": "SQLite", "events": events}
            row |= asyncio.run(measure(url, label, by_activity, uniform, args.budget))
            swept = events in sweep_sizes
            row |= sweep_columns(url, args.sweep_timeout, "SQLite", events) if swept else NO_SWEEP
            row |= {"database_mb": path.stat().st_size / 1e6, "prepare_s": built}
            outcome.rows.append(row)
            report(row)
            if server is not None and events in pg_sizes:
                pg = postgres_row(server, path, events, by_activity, uniform, args)
                pg |= {"prepare_s": pg.pop("load_s")}
                outcome.rows.append(pg)
                report(pg)
    outcome.rows.sort(key=lambda r: (r["backend"] != "SQLite", r["events"]))
    checks(outcome, "SQLite")
    checks(outcome, "PostgreSQL")
    plot(outcome.rows, RESULTS / "queries_growth.png")
    outcome.notes += NOTES + list(SLOWEST.values())
    outcome.save()
    return exit_code(outcome)


NOTES = [
    "ledger: store.events.ledger over 90 days (/giveback); network: store.insights.counterparts"
    " (with the handler's limit) plus bot.domain.network and the Block Kit message; ask:"
    " bot.services.asks.check_give_first, what /ask decides before its 3-second ack (giving and"
    " asking from the running totals, then the open asks to suggest for people it holds). No"
    " Slack call. By activity: people drawn by how often they help (power law), 'uniform': any"
    " of the 20k people.",
    "favours (bench/favours.py): every tenth help event is help on an ask, with its resolved"
    " ask and the helper's offer (500k asks at 5M events); 300 asks open, a third with an offer.",
    "sweep: bot.jobs.sweep.dry_run (giveback nudge --dry-run) at Monday 15:30 UTC, New York's"
    " delivery window, in a fresh process; peak RSS from wait4. 20k profiles with timezones"
    " across 8 zones and a digest channel are loaded by bench/people.py. Nobody has had a"
    " welcome yet: this is the first sweep after giveback starts welcoming, the largest it plans.",
    "Each query gets a 10 s budget per size (--budget): where a query is slow that is only a"
    " few dozen queries (the *_queries columns), and p99 is then close to the slowest one. The"
    " machine is shared with other sessions' tests and benchmarks: sweep times moved by up to"
    " a third between runs.",
    "sweep_peak_mb is the bot process's peak RSS (the target's subject); on PostgreSQL the"
    " server's own memory is not in it.",
    "PostgreSQL 15: a throwaway local server (fsync off, default shared_buffers 128 MB) on"
    " loopback; rows copied from the SQLite workspace into a database migrated by the store"
    " (bench/pg_load.py); prepare_s is that load. make bench runs PostgreSQL at 1M only, to"
    " keep it short; the 5M rows take --pg-sizes 1000000,5000000 (about 4 more minutes).",
]


def start_postgres(stack: ExitStack, outcome: Outcome) -> str | None:
    from tests.support import pgserver

    try:
        return stack.enter_context(pgserver.cluster())
    except pgserver.Unavailable as exc:
        outcome.notes.append(f"PostgreSQL rows skipped: {exc}")
        say(f"PostgreSQL not available: {exc}")
        return None


def postgres_row(
    server: str,
    path: Path,
    events: int,
    by_activity: list[str],
    uniform: list[str],
    args: argparse.Namespace,
) -> dict[str, Any]:
    from bench.pg_compare import fresh_pg
    from bench.pg_load import load_workspace

    url = asyncio.run(fresh_pg(server))
    loaded = asyncio.run(load_workspace(path, url))
    label = f"{events:,} events, PostgreSQL"
    row: dict[str, Any] = {"backend": "PostgreSQL", "events": events}
    row |= asyncio.run(measure(url, label, by_activity, uniform, args.budget))
    swept = events in sizes(args.pg_sweep_sizes)
    row |= sweep_columns(url, args.sweep_timeout, "PostgreSQL", events) if swept else NO_SWEEP
    return row | {"database_mb": loaded["database_mb"], "load_s": loaded["seconds"]}


if __name__ == "__main__":
    sys.exit(main())
