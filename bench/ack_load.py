"""Benchmark 1: signed ``/thanks`` at concurrency 32 over loopback, against a bare Bolt app.

The bot runs as deployed (``giveback run``, HTTP mode, its own process) with the full path:
verify the signature, parse, look people up (cached), store durably, ack, then announce to a
fake ``response_url``. The baseline, in the same run and the same way, is a bare Bolt AsyncApp
whose handler only acks. Rounds alternate (bare, bot on SQLite, bot on PostgreSQL, bare, ...)
so drift hits all of them.

A third SQLite variant runs the bot as operated in production: ``GIVEBACK_METRICS=on`` and
``GIVEBACK_LOG_FORMAT=json`` (README "Operating giveback"), to show what watching it costs.

The PostgreSQL rounds use ``--database`` (a server URL; each round gets a fresh database on it)
or else a throwaway durable server started like the tests' (tests/pgserver.py); without
PostgreSQL binaries they are skipped and a note says so.

    python -m bench.ack_load [--requests 4000] [--concurrency 32] [--rounds 2]
                             [--database postgresql://...] [--pg-requests 1000] [--no-postgres]
                             [--no-observed]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import asyncpg
from slack_sdk.signature import SignatureVerifier

from bench.common import Outcome, exit_code, median, percentile, progress, say
from bench.procs import SECRET, ServerProcess, free_port, giveback_process
from bot.devtools.fakeslack import FakeSlack
from tests.support import pgserver

TEAM = "T0001"
# Each round (a fresh bot and database) sends warm-up plus requests, 4,400 by default: with 500
# people a person posts about 9 of them, so nobody reaches the hourly announcement limit (20)
# and every round measures the everyday path (a post per /thanks), while the warm-up still
# brings most people's profiles into the cache, as in a workspace at work.
PEOPLE = 500
REPO = Path(__file__).resolve().parents[1]
OBSERVED = {"GIVEBACK_METRICS": "on", "GIVEBACK_LOG_FORMAT": "json"}


@dataclass
class Run:
    target: str
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    trigger_ids: list[str]
    acked_recorded: int  # 200 with an empty body: giveback's "recorded" ack
    announced_after: float | None = None  # seconds from the last ack to the last announcement
    unannounced: int = 0  # acknowledged thanks whose announcement never arrived
    announce_failures: list[str] = field(default_factory=list)  # the bot's log lines about them
    # CPU seconds spent during the measured load, by the server process and by this one (the
    # load generator, which also hosts the fake response_url); None where /proc is missing.
    server_cpu: float | None = None
    generator_cpu: float | None = None

    def cpu_ms(self, seconds: float | None) -> float | str:
        return "-" if seconds is None else per_request_ms(self, seconds)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds


def signed_thanks(
    verifier: SignatureVerifier, fake: FakeSlack, n: int, tag: str, rng: random.Random
) -> tuple[bytes, dict[str, str], str]:
    giver = rng.randrange(PEOPLE)
    helper = (giver + 1 + rng.randrange(PEOPLE - 1)) % PEOPLE
    trigger = f"{tag}.{n}.{rng.randrange(10**9)}"
    body = urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "bench",
            "channel_id": "C0001",
            "channel_name": "general",
            "user_id": f"U{giver:05d}",
            "user_name": f"user{giver}",
            "command": "/thanks",
            "text": f"<@U{helper:05d}|user{helper}> for the review of the deploy script",
            "api_app_id": "A0001",
            "response_url": fake.response_url("bench"),
            "trigger_id": trigger,
        }
    )
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": str(verifier.generate_signature(timestamp=stamp, body=body)),
    }
    return body.encode(), headers, trigger


def per_request_ms(run: Run, seconds: float) -> float:
    return seconds / len(run.latencies) * 1000


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process so far (Linux /proc); None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def load(
    url: str,
    fake: FakeSlack,
    count: int,
    concurrency: int,
    tag: str,
    label: str,
    server_pid: int | None = None,
) -> Run:
    """Send ``count`` signed requests from ``concurrency`` workers; time each one.

    With ``server_pid``, also the CPU the server and this process spent meanwhile."""
    verifier, rng = SignatureVerifier(SECRET), random.Random(tag)
    requests = [signed_thanks(verifier, fake, n, tag, rng) for n in range(count)]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    recorded = 0
    pending = iter(requests)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        with progress() as bar:
            task = bar.add_task(label, total=count)

            async def worker() -> None:
                nonlocal recorded
                for body, headers, _ in pending:
                    sent = time.perf_counter()
                    async with session.post(url, data=body, headers=headers) as response:
                        text = await response.read()
                    latencies.append(time.perf_counter() - sent)
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    recorded += response.status == 200 and not text
                    bar.advance(task)

            server_before = cpu_seconds(server_pid) if server_pid else None
            mine_before, started = time.process_time(), time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            seconds = time.perf_counter() - started
            mine = time.process_time() - mine_before
            server_after = cpu_seconds(server_pid) if server_pid else None
    run = Run(label, seconds, latencies, statuses, [r[2] for r in requests], recorded)
    if server_before is not None and server_after is not None:
        run.server_cpu, run.generator_cpu = server_after - server_before, mine
    return run


async def recorded_keys(database: Path | str) -> list[str]:
    if isinstance(database, str):  # a PostgreSQL URL
        conn = await asyncpg.connect(database)
        try:
            return [row[0] for row in await conn.fetch("SELECT idem_key FROM help_events")]
        finally:
            await conn.close()
    with sqlite3.connect(database) as conn:
        return [key for (key,) in conn.execute("SELECT idem_key FROM help_events")]


async def fresh_database(server: str) -> str:
    """A new, empty database on the PostgreSQL server (the bot migrates it at start-up)."""
    name = f"ack_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return pgserver.database_url(server, name)


@contextlib.contextmanager
def postgres(args: argparse.Namespace, notes: list[str]) -> Iterator[str | None]:
    """The PostgreSQL server URL to use, or None (with a note) when there is none."""
    if args.no_postgres:
        yield None
        return
    if args.database:
        yield args.database
        return
    try:
        with pgserver.cluster(durable=True) as server:
            yield server
    except pgserver.Unavailable as exc:
        notes.append(f"PostgreSQL rounds skipped: {exc}")
        yield None


async def round_bare(fake: FakeSlack, work: Path, args: argparse.Namespace, n: int) -> Run:
    port = free_port()
    argv = [sys.executable, "-m", "bench.bare_app", str(port), fake.api_url]
    server = ServerProcess(argv, {"PATH": "/usr/bin:/bin"}, port, work / f"bare{n}.log", cwd=REPO)
    await server.start()
    try:
        await load(server.url, fake, args.warmup, args.concurrency, f"bw{n}", "bare app warm-up")
        return await load(
            server.url,
            fake,
            args.requests,
            args.concurrency,
            f"b{n}",
            f"bare app, round {n}",
            server.pid,
        )
    finally:
        await server.terminate()


async def round_bot(
    fake: FakeSlack,
    work: Path,
    args: argparse.Namespace,
    n: int,
    pg_server: str | None = None,
    *,
    observed: bool = False,
) -> tuple[Run, bool]:
    """One round against ``giveback run`` on SQLite, or on PostgreSQL when given a server;
    ``observed``: with metrics on and JSON logs."""
    name, tag = ("giveback on PostgreSQL", "p") if pg_server else ("giveback", "g")
    if observed:
        name, tag = "giveback, metrics and JSON logs", "o"
    database: Path | str = await fresh_database(pg_server) if pg_server else work / f"{tag}{n}.db"
    count = args.pg_requests if pg_server else args.requests
    extra = OBSERVED if observed else {}
    server = giveback_process(fake.api_url, database, work / f"{tag}{n}.log", **extra)  # type: ignore[arg-type]
    await server.start()
    try:
        await load(server.url, fake, args.warmup, args.concurrency, f"{tag}w{n}", f"{name} warm-up")
        before = len(fake.calls_to("response_url"))
        run = await load(
            server.url, fake, count, args.concurrency, f"{tag}{n}", f"{name}, round {n}", server.pid
        )
        # Announcements go out after the ack: wait for every one before counting; one that
        # never comes is counted and reported with the bot's own words, not a crash.
        drained = time.perf_counter()
        with contextlib.suppress(AssertionError):
            await fake.wait_for("response_url", before + count, timeout=60)
        run.announced_after = time.perf_counter() - drained
        run.unannounced = max(0, before + count - len(fake.calls_to("response_url")))
    finally:
        await server.terminate()
    if run.unannounced:
        # What the bot said about it: a failure after the ack, or an error before it.
        run.announce_failures = [
            line
            for line in server.tail(5000).splitlines()
            if "after the ack" in line or "ERROR" in line or "Error" in line
        ][:5]
    # One row per acknowledged request, keyed by its trigger_id: nothing lost, nothing doubled.
    per_trigger = Counter(
        key.removeprefix("cmd:").rsplit(":", 1)[0] for key in await recorded_keys(database)
    )
    exactly_once = run.acked_recorded == count and all(per_trigger[t] == 1 for t in run.trigger_ids)
    return run, exactly_once


async def main_async(args: argparse.Namespace) -> Outcome:
    outcome = Outcome("ack_load")
    fake = FakeSlack(team_id=TEAM)
    for i in range(PEOPLE):
        fake.add_user(f"U{i:05d}", f"user{i}")
    await fake.start()
    bare: list[Run] = []
    bot: list[Run] = []
    observed: list[Run] = []
    pg: list[Run] = []
    once = {"sqlite": True, "postgresql": True, "observed": True}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="giveback-ack-") as tmp,
            postgres(args, outcome.notes) as pg_server,
        ):
            for n in range(1, args.rounds + 1):
                bare.append(await round_bare(fake, Path(tmp), args, n))
                run, exact = await round_bot(fake, Path(tmp), args, n)
                bot.append(run)
                once["sqlite"] = once["sqlite"] and exact
                if not args.no_observed:
                    run, exact = await round_bot(fake, Path(tmp), args, n, observed=True)
                    observed.append(run)
                    once["observed"] = once["observed"] and exact
                if pg_server:
                    run, exact = await round_bot(fake, Path(tmp), args, n, pg_server)
                    pg.append(run)
                    once["postgresql"] = once["postgresql"] and exact
    finally:
        await fake.stop()
    for run in bare + bot + observed + pg:
        p50, p99 = percentile(run.latencies, 50) * 1000, percentile(run.latencies, 99) * 1000
        outcome.rows.append(
            {
                "server": run.target,
                "requests": len(run.latencies),
                "req_per_s": run.throughput,
                "p50_ms": p50,
                "p99_ms": p99,
                "server_cpu_ms_per_req": run.cpu_ms(run.server_cpu),
                "generator_cpu_ms_per_req": run.cpu_ms(run.generator_cpu),
                "statuses": run.statuses,
                # Post-ack work still queued when the load stopped ("-": the bare app has none).
                "announced_s_after_last_ack": (
                    "-" if run.announced_after is None else run.announced_after
                ),
            }
        )
        say(
            f"{run.target}: {run.throughput:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {run.statuses}"
        )
    bare_p99 = median(percentile(b.latencies, 99) for b in bare) * 1000
    for label, runs, key in (
        ("giveback", bot, "sqlite"),
        ("giveback, metrics and JSON logs", observed, "observed"),
        ("giveback on PostgreSQL", pg, "postgresql"),
    ):
        if not runs:
            continue
        ratio = median(r.throughput for r in runs) / median(b.throughput for b in bare)
        p99 = median(percentile(r.latencies, 99) for r in runs) * 1000
        outcome.check(f"throughput: {label} / bare app", ratio, ">= 0.5", ratio >= 0.5)
        outcome.check(
            f"p99 ack latency: {label} / bare app", p99 / bare_p99, "<= 2", p99 / bare_p99 <= 2
        )
        outcome.check(f"p99 ack latency, {label} (ms)", p99, "< 100", p99 < 100)
        outcome.check(
            f"every request recorded exactly once, {label} (1 = yes)",
            float(once[key]),
            "1",
            once[key],
        )
        missing = sum(r.unannounced for r in runs)
        outcome.check(f"acknowledged but never announced, {label}", missing, "0", missing == 0)
        for r in runs:
            outcome.notes.extend(f"{r.target}: {line}" for line in r.announce_failures)
    cpu = {
        label: [per_request_ms(r, r.server_cpu) for r in runs if r.server_cpu is not None]
        for label, runs in (
            ("bare app", bare),
            ("giveback", bot),
            ("giveback, metrics and JSON logs", observed),
            ("giveback on PostgreSQL", pg),
        )
    }
    if cpu["giveback"] and cpu["giveback, metrics and JSON logs"]:
        # CPU, not throughput: on a shared machine, throughput drifts more than the cost does.
        ratio = median(cpu["giveback, metrics and JSON logs"]) / median(cpu["giveback"])
        outcome.check(
            "server CPU per request: giveback with metrics and JSON logs / without",
            ratio,
            "<= 1.1",
            ratio <= 1.1,
        )
    if cpu["bare app"]:
        bare_cpu = median(cpu["bare app"])
        outcome.notes.append(
            "Server CPU per request (median of rounds, all its threads): "
            + "; ".join(
                f"{label} {median(v):.2f} ms ({median(v) / bare_cpu:.1f}x the bare app)"
                for label, v in cpu.items()
                if v
            )
            + ". Both processes share the machine's two cores with the load generator."
        )
    outcome.notes.append(
        f"{args.rounds} alternating rounds of {args.requests} requests after {args.warmup} warm-up, "
        f"concurrency {args.concurrency}; medians of the rounds are compared."
    )
    if pg:
        outcome.notes.append(
            f"PostgreSQL: {args.pg_requests} requests per round on a local durable server (fsync"
            " on, the defaults otherwise), a fresh database per round; on PostgreSQL the bot"
            " keeps settings and profiles for 5 s (several processes may share it), on SQLite"
            " for 30 s."
        )
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ack_load", description=__doc__)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database", help="a PostgreSQL server URL for the PostgreSQL rounds")
    # Fewer than --requests: PostgreSQL is several times slower here, and make bench has a budget.
    parser.add_argument("--pg-requests", type=int, default=1000)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite rounds only")
    parser.add_argument(
        "--no-observed", action="store_true", help="no rounds with metrics on and JSON logs"
    )
    args = parser.parse_args(argv)
    outcome = asyncio.run(main_async(args))
    outcome.save()
    return exit_code(outcome)


if __name__ == "__main__":
    sys.exit(main())
