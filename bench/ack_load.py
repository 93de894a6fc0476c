"""Benchmark 1: signed ``/thanks`` at concurrency 32 over loopback, against a bare Bolt app.

The bot runs as deployed (``giveback run``, HTTP mode, its own process) with the full path:
verify the signature, parse, look people up (cached), store durably, ack, then announce to a
fake ``response_url``. The baseline, in the same run and the same way, is a bare Bolt AsyncApp
whose handler only acks. Rounds alternate (bare, bot, bare, bot) so drift hits both.

    python -m bench.ack_load [--requests 4000] [--concurrency 32] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bench.common import Outcome, exit_code, median, percentile, progress, say
from bench.procs import SECRET, ServerProcess, free_port, giveback_process
from bot.fakeslack import FakeSlack

TEAM = "T0001"
PEOPLE = 200
REPO = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    target: str
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    trigger_ids: list[str]
    acked_recorded: int  # 200 with an empty body: giveback's "recorded" ack

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
        "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body),
    }
    return body.encode(), headers, trigger


async def load(
    url: str, fake: FakeSlack, count: int, concurrency: int, tag: str, label: str
) -> Run:
    """Send ``count`` signed requests from ``concurrency`` workers; time each one."""
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

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            seconds = time.perf_counter() - started
    return Run(label, seconds, latencies, statuses, [r[2] for r in requests], recorded)


def recorded_keys(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [key for (key,) in conn.execute("SELECT idem_key FROM help_events")]


async def round_bare(fake: FakeSlack, work: Path, args: argparse.Namespace, n: int) -> Run:
    port = free_port()
    argv = [sys.executable, "-m", "bench.bare_app", str(port), fake.api_url]
    server = ServerProcess(argv, {"PATH": "/usr/bin:/bin"}, port, work / f"bare{n}.log", cwd=REPO)
    await server.start()
    try:
        await load(server.url, fake, args.warmup, args.concurrency, f"bw{n}", "bare app warm-up")
        return await load(
            server.url, fake, args.requests, args.concurrency, f"b{n}", f"bare app, round {n}"
        )
    finally:
        await server.terminate()


async def round_bot(
    fake: FakeSlack, work: Path, args: argparse.Namespace, n: int
) -> tuple[Run, bool]:
    database = work / f"bot{n}.db"
    server = giveback_process(fake.api_url, database, work / f"bot{n}.log")
    await server.start()
    try:
        await load(server.url, fake, args.warmup, args.concurrency, f"gw{n}", "giveback warm-up")
        before = len(fake.calls_to("response_url"))
        run = await load(
            server.url, fake, args.requests, args.concurrency, f"g{n}", f"giveback, round {n}"
        )
        # Announcements go out after the ack: wait for every one before counting.
        await fake.wait_for("response_url", before + args.requests, timeout=60)
    finally:
        await server.terminate()
    # One row per acknowledged request, keyed by its trigger_id: nothing lost, nothing doubled.
    per_trigger = Counter(
        key.removeprefix("cmd:").rsplit(":", 1)[0] for key in recorded_keys(database)
    )
    exactly_once = run.acked_recorded == args.requests and all(
        per_trigger[t] == 1 for t in run.trigger_ids
    )
    return run, exactly_once


async def main_async(args: argparse.Namespace) -> Outcome:
    outcome = Outcome("ack_load")
    fake = FakeSlack(team_id=TEAM)
    for i in range(PEOPLE):
        fake.add_user(f"U{i:05d}", f"user{i}")
    await fake.start()
    bare: list[Run] = []
    bot: list[Run] = []
    all_once = True
    try:
        with tempfile.TemporaryDirectory(prefix="giveback-ack-") as tmp:
            for n in range(1, args.rounds + 1):
                bare.append(await round_bare(fake, Path(tmp), args, n))
                run, once = await round_bot(fake, Path(tmp), args, n)
                bot.append(run)
                all_once = all_once and once
    finally:
        await fake.stop()
    for run in bare + bot:
        p50, p99 = percentile(run.latencies, 50) * 1000, percentile(run.latencies, 99) * 1000
        outcome.rows.append(
            {
                "server": run.target,
                "requests": len(run.latencies),
                "req_per_s": run.throughput,
                "p50_ms": p50,
                "p99_ms": p99,
                "statuses": run.statuses,
            }
        )
        say(
            f"{run.target}: {run.throughput:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {run.statuses}"
        )
    ratio = median(b.throughput for b in bot) / median(b.throughput for b in bare)
    bot_p99 = median(percentile(b.latencies, 99) for b in bot) * 1000
    bare_p99 = median(percentile(b.latencies, 99) for b in bare) * 1000
    outcome.check("throughput: giveback / bare app", ratio, ">= 0.5", ratio >= 0.5)
    outcome.check(
        "p99 ack latency: giveback / bare app", bot_p99 / bare_p99, "<= 2", bot_p99 / bare_p99 <= 2
    )
    outcome.check("p99 ack latency, giveback (ms)", bot_p99, "< 100", bot_p99 < 100)
    outcome.check("every request recorded exactly once (1 = yes)", float(all_once), "1", all_once)
    outcome.notes.append(
        f"{args.rounds} alternating rounds of {args.requests} requests after {args.warmup} warm-up, "
        f"concurrency {args.concurrency}; medians of the rounds are compared."
    )
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ack_load", description=__doc__)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    outcome = asyncio.run(main_async(args))
    outcome.save()
    return exit_code(outcome)


if __name__ == "__main__":
    sys.exit(main())
