"""Run every benchmark (each in its own process), then rewrite BENCHMARKS.md from the results.

python -m bench.run_all            # everything (make bench), about 25 minutes
python -m bench.run_all --render   # only rewrite BENCHMARKS.md from bench/results/*.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, machine, say

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ("store", "ack_load", "queries", "delivery", "topics")
TITLES = {
    "ack_load": "1. Ack under load: signed /thanks at concurrency 32 vs a bare Bolt app",
    "store": "2. Store: help events through the store vs raw sqlite3",
    "queries": "3. Queries at scale: /giveback counts, network view, /ask's give-first check and"
    " nudge-planning sweep, 20k people, 50k to 5M help events, SQLite and PostgreSQL",
    "delivery": "4. Delivery: 5,000 nudges through the fake's rate limits (429 + Retry-After)",
    "topics": "5. Who could help: the suggestion /ask makes and the topic index build, 20k people,"
    " 50k to 5M help events, SQLite and PostgreSQL, vs full-text search over the notes",
}
PLOTS = {
    "queries": (
        "ledger, network and /ask check p99 and sweep time by workspace size",
        "queries_growth.png",
    ),
    "topics": ("suggestion p99 and index build time by workspace size", "topics_growth.png"),
}
PENDING = ""  # every benchmark of issue 7 is measured now
READING = """## Reading these figures

- **Ack under load** meets exactly-once on both backends and misses the two ratios to the bare
  app; the absolute p99 (< 100 ms) on SQLite sits at its edge (95-115 ms over the runs). On
  2026-11-26 the code from before the topic index (e9a1922: issues 14-16 in, 17 not) ran the
  same benchmark back to back with this code and measured the same within noise (503-541
  against 534-541 req/s, 1.88 against 1.82 ms of server CPU per request): the figures here
  moved with the machine, not the change.
  The notes under its table give each server's CPU per request, on two cores it shares with the
  load generator (which also hosts the fake `response_url`). Where giveback's time goes,
  measured with py-spy and cProfile: the announcement's own HTTP exchange is about a fifth of it
  (aiohttp's client, about 0.15 ms a post; h11 measured no cheaper), Bolt and aiohttp answering
  the request are the bare app's whole cost, and giveback's own code (parsing, the store
  hand-off, rendering, reading the note for the topic index) is about an eighth. One CPython
  process runs all that on one core. In one-off experiments (not in `make bench`), the path
  without any announcement reached 0.45-0.57x, and posting the announcements from a second
  process cost more CPU in all than it saved, and ran 10-20% slower on two cores.
- **Keeping the topic index on write** (one-off, store level, 3,000 thanks at 32 in flight):
  on SQLite about 0.15 ms more CPU per thanks, most of it Sudachi reading the note; on
  PostgreSQL one more round trip inside the thanks' transaction (the index's four writes are one
  statement there), and the server's triggers.
- **PostgreSQL** runs the same path at 0.1-0.2x: each thanks is its own transaction (advisory
  pair lock, insert, the topic index, PL/pgSQL triggers, commit), and the server's processes
  share the same two cores. Settings and profiles are kept in memory for 5 s, as several
  processes may share it.
- **Queries at scale** read the running totals (`help_daily`, `help_pairs`, `favour_daily`, kept
  by triggers), so the busiest person's counts, network and `/ask` check read a few hundred index
  rows at any history length; `/ask` decides well inside Slack's 3-second ack at 5M events.
- **Store** figures include the cost of those triggers on both sides of each comparison: the
  raw baseline writes into the same schema.
- **Who could help** (benchmark 5) answers inside /ask's 3-second ack at every size: p99 about
  50 ms at 5M events on SQLite, with a few hundred index rows read per ask term whatever the
  history. The databases' own full-text search over each note (FTS5 `bm25()`, PostgreSQL
  `ts_rank`), fed the same analysed terms, must rank every note that holds a common word: its
  p99 grows with the ledger (about 0.9 s at 5M on SQLite) and it finds the right person less
  often (hit@3 about 60% against about 90%), because a person's many short notes are scored
  one by one rather than as one document. Hence the per-person index (README: the topic index).
- **The index build misses its target**: about 5 minutes for 5M older events on SQLite (about
  2 minutes for 1M on PostgreSQL), against one minute. It runs once, after the upgrade, in the
  background while the bot serves (short transactions, resumable), and events recorded since are
  indexed as they are written. Where the time goes, profiled at 1M events (one-off): the single
  writer is busy for about 85% of the build: its statements (the per-person term counts' upserts
  about a quarter of the build, the per-note term lists a tenth, re-reading the chunk's notes
  before writing), its commits (a quarter), and the Python that tallies each chunk; reading in
  helper order and the analyser (in worker processes, on the 250k distinct notes only) overlap
  it. A one-off lower bound for this schema, everything in one set-based transaction with the
  bot stopped (read the distinct notes, analyse them on both cores, join, GROUP BY), still took
  94 s at 5M here: 16 s to analyse 828k distinct notes, 43 s for SQLite to aggregate 26M
  (person, term) occurrences, 13 s to write the 3.7M per-note term lists that exact removal
  needs (forget-me, a reaction taken back), 9 s for the rest.
- **Japanese analyser, measured (one-off, not in `make bench`)**: SudachiPy 0.7 with
  sudachidict-core against fugashi 1.5 with unidic-lite, reading the same content words:
  26 µs against 50 µs per short note, 50 µs against 100 µs per generated note of
  bench/notes.py (one core, under load); 198 MB against 250 MB installed; after reading, about
  90 MB resident for Sudachi, nearly all of it the memory-mapped dictionary shared between
  processes (9 MB private), against 15-45 MB for fugashi. Sudachi also merges spelling variants
  (サーバ/サーバー, 打合せ/打ち合わせ) and knows many English words' katakana forms, which
  lets English and Japanese notes meet.
"""


def run(name: str) -> float:
    started = time.perf_counter()
    say(f"[bold]== bench.{name}[/]")
    subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=ROOT, check=True)
    return time.perf_counter() - started


def cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "_no rows_\n"
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render(seconds: dict[str, float]) -> str:
    info = machine()
    out = [
        "# Benchmarks\n",
        "Generated by `make bench` (`python -m bench.run_all`); every figure is measured against its",
        "baseline in the same run, on loopback, and reported as a ratio. The machine is shared and",
        "noisy: compare ratios, not absolute times, and expect a few percent of drift between runs.\n",
        "## Machine\n",
        table([info]),
        READING,
    ]
    for name in ("ack_load", "store", "queries", "delivery", "topics"):
        path = RESULTS / f"{name}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        out.append(f"## {TITLES[name]}\n")
        if name in seconds:
            out.append(f"_Ran in {seconds[name]:.0f} s._\n")
        out.append(table(data["rows"]))
        if data["checks"]:
            checks = [
                {
                    "target": c["what"],
                    "measured": c["value"],
                    "wanted": c["target"],
                    "met": "yes" if c["met"] else "**no**",
                }
                for c in data["checks"]
            ]
            out.append(table(checks))
        for note in data["notes"]:
            out.append(f"- {note}")
        if name in PLOTS:
            caption, image = PLOTS[name]
            out.append(f"\n![{caption}](bench/results/{image})\n")
        out.append("")
    if PENDING:
        out.append(PENDING)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__)
    parser.add_argument("--render", action="store_true", help="only rewrite BENCHMARKS.md")
    args = parser.parse_args(argv)
    seconds: dict[str, float] = {}
    if not args.render:
        started = time.perf_counter()
        for name in BENCHMARKS:
            seconds[name] = run(name)
        say(f"all benchmarks in {time.perf_counter() - started:.0f} s")
    text = render(seconds)
    postgres = RESULTS / "postgres.md"  # from bench.pg_compare, which needs a PostgreSQL server
    if postgres.is_file():
        text = text.rstrip() + "\n\n" + postgres.read_text()
    (ROOT / "BENCHMARKS.md").write_text(text)
    say("wrote BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
