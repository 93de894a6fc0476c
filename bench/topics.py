"""Benchmark 5: who could help with an ask, and building the topic index, 20k people, 50k to 5M
help events, SQLite and PostgreSQL, against full-text search over the notes themselves.

For each size, on the generated workspace of bench/dataset.py (notes in English and Japanese
with a realistic vocabulary, bench/notes.py), copied so the cached dataset stays as generated:

* **build**: storage.topic_build over every event (they predate the index, as in a real
  upgrade): seconds, in worker processes (the analyser) overlapping the writes;
* **suggest**: bot.services.suggest.who_could_help, the whole call /ask makes (analyse the ask,
  read the postings, BM25, leave out the busy and opted out, the asker's ties): p50/p99 over
  generated asks about the specialties of people drawn by activity, half in Japanese; and how
  often one of the three suggested really holds that specialty (hit@3);
* **baseline**, the databases' own full-text search over each note, fed the same analysed
  terms: SQLite FTS5 with ``bm25()`` (contentless, one row per note) and PostgreSQL's
  ``to_tsvector('simple', ...)`` with a GIN index and ``ts_rank``, summed per helper. Same asks,
  same budget.

    python -m bench.topics [--sizes 50000,200000,1000000,5000000] [--pg-sizes 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import RESULTS, Outcome, exit_code, percentile, progress, say
from bench.dataset import NOW, TEAM, Workspace, generate, person
from bench.growth_plot import BUILD_TARGET_S, SUGGEST_TARGET_MS, plot_topics
from bench.notes import SPECIALTIES, ask
from bench.queries import DATA, sizes, start_postgres
from bot.domain.records import Clock
from bot.services.deps import build_deps
from bot.services.suggest import who_could_help
from storage import open_store
from storage.analyzer import analyze, warm
from storage.topic_build import build_topics

BUILD_AT = 5_000_000
ASKS = 400
Ask = tuple[str, str, int]  # (asker, text, the topic asked about)


def asks(space: Workspace, count: int, rng: np.random.Generator) -> list[Ask]:
    """Asks about the specialty of someone drawn by how often they help, half in Japanese."""
    found = []
    for helper in rng.choice(space.people, count, p=space.giver_weights).tolist():
        topic = int(space.specialties[helper, rng.integers(0, SPECIALTIES)])
        asker = int(rng.integers(0, space.people))
        text = ask(topic, bool(rng.random() < 0.5), space.vocabulary, rng)
        found.append((person(asker), text, topic))
    return found


def holds(space: Workspace, user: str, topic: int) -> bool:
    return topic in space.specialties[int(user[1:]), :SPECIALTIES].tolist()


def built_copy(space: Workspace, outcome_row: dict[str, Any]) -> Path:
    """A copy of the dataset with the topic index built, timing the build."""
    path = space.path.with_name(f"{space.path.stem}-topics.db")
    path.unlink(missing_ok=True)
    shutil.copyfile(space.path, path)
    outcome_row["build_s"], outcome_row["indexed_notes"] = asyncio.run(_build(f"sqlite:///{path}"))
    return path


async def _build(url: str) -> tuple[float, int]:
    store = await open_store(url)
    try:
        with progress() as bar:
            task = bar.add_task("building the topic index", total=None)
            started = time.perf_counter()
            await build_topics(
                store.db,
                store.preferences.workspace,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
            seconds = time.perf_counter() - started
        row = await store.db.fetchone("SELECT count(*) FROM note_terms")
        return seconds, int(row[0]) if row else 0
    finally:
        await store.close()


Query = Callable[[str, str], Awaitable[list[str]]]


async def timed(
    query: Query, asks_: list[Ask], space: Workspace, budget: float, label: str
) -> dict[str, Any]:
    """p50/p99 (ms) and hit@3 of ``query`` over the asks, for at most ``budget`` seconds."""
    for asker, text, _ in asks_[:10]:  # warm the caches the way a running bot has them
        await query(asker, text)
    times, hits = [], 0
    with progress() as bar:
        task = bar.add_task(label, total=len(asks_))
        deadline = time.perf_counter() + budget
        for asker, text, topic in asks_:
            started = time.perf_counter()
            found = await query(asker, text)
            times.append(time.perf_counter() - started)
            hits += any(holds(space, user, topic) for user in found)
            bar.advance(task)
            if started > deadline:
                break
    return {
        "p50_ms": percentile(times, 50) * 1000,
        "p99_ms": percentile(times, 99) * 1000,
        "hit3": hits / len(times),
        "asks": len(times),
    }


async def ours(
    url: str, asks_: list[Ask], space: Workspace, budget: float, label: str
) -> dict[str, Any]:
    store = await open_store(url, migrate=False)
    clock: Clock = lambda: NOW  # noqa: E731
    deps = build_deps(store, clock)
    try:

        async def query(asker: str, text: str) -> list[str]:
            return [s.user_id for s in await who_could_help(deps, TEAM, asker, text)]

        return await timed(query, asks_, space, budget, label)
    finally:
        await store.close()


def fts5_build(path: Path) -> float:
    """The baseline index: FTS5 over every indexed note's terms (the same analysis)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TABLE IF EXISTS bench_note_fts")
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute(
            "CREATE VIRTUAL TABLE bench_note_fts USING fts5(terms, content='',"
            " tokenize='unicode61 remove_diacritics 0')"
        )
        conn.execute(
            "INSERT INTO bench_note_fts (rowid, terms) SELECT event_id,"
            " (SELECT group_concat(value, ' ') FROM json_each(terms)) FROM note_terms"
        )
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def fts5_query(conn: sqlite3.Connection) -> Query:
    async def query(asker: str, text: str) -> list[str]:
        terms = " OR ".join(f'"{t}"' for t in analyze(text))
        if not terms:
            return []
        rows = conn.execute(
            "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(bench_note_fts) AS s"
            " FROM bench_note_fts WHERE bench_note_fts MATCH ?)"
            " SELECT n.helper_id, sum(-m.s) AS score FROM m JOIN note_terms n ON n.event_id = m.id"
            " WHERE n.helper_id <> ? GROUP BY n.helper_id ORDER BY score DESC LIMIT 3",
            (terms, asker),
        ).fetchall()
        return [r[0] for r in rows]

    return query


async def pg_baseline(
    url: str, asks_: list[Ask], space: Workspace, budget: float
) -> dict[str, Any]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        await conn.execute("SET maintenance_work_mem = '512MB'")
        await conn.execute(
            "CREATE TABLE bench_note_tsv AS SELECT event_id, helper_id,"
            " to_tsvector('simple', (SELECT string_agg(value, ' ') FROM json_array_elements_text"
            "(terms::json) AS value)) AS tsv FROM note_terms"
        )
        await conn.execute("CREATE INDEX ON bench_note_tsv USING gin (tsv)")
        await conn.execute("ANALYZE bench_note_tsv")
        build = time.perf_counter() - started

        async def query(asker: str, text: str) -> list[str]:
            terms = list(analyze(text))
            if not terms:
                return []
            rows = await conn.fetch(
                "SELECT helper_id, sum(ts_rank(tsv, q)) AS score FROM bench_note_tsv,"
                " to_tsquery('simple', $1) AS q WHERE tsv @@ q AND helper_id <> $2"
                " GROUP BY helper_id ORDER BY score DESC LIMIT 3",
                " | ".join("'" + t.replace("'", "''") + "'" for t in terms),
                asker,
            )
            return [r[0] for r in rows]

        found = await timed(query, asks_, space, budget, "PostgreSQL text search per note")
        return {"baseline_build_s": build} | {f"baseline_{k}": v for k, v in found.items()}
    finally:
        await conn.close()


def sqlite_row(space: Workspace, asks_: list[Ask], budget: float) -> tuple[dict[str, Any], Path]:
    row: dict[str, Any] = {"backend": "SQLite", "events": space.events}
    path = built_copy(space, row)
    label = f"suggest, {space.events:,} events, SQLite"
    row |= asyncio.run(ours(f"sqlite:///{path}", asks_, space, budget, label))
    row["baseline_build_s"] = fts5_build(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = asyncio.run(timed(fts5_query(conn), asks_, space, budget, "FTS5 bm25 per note"))
    finally:
        conn.close()
    row |= {f"baseline_{k}": v for k, v in found.items()}
    row["database_mb"] = path.stat().st_size / 1e6
    return row, path


def postgres_row(
    server: str, path: Path, space: Workspace, asks_: list[Ask], budget: float
) -> dict[str, Any]:
    from bench.pg_compare import fresh_pg
    from bench.pg_load import load_workspace

    url = asyncio.run(fresh_pg(server))
    asyncio.run(load_workspace(path, url))  # the events; the index tables come out empty
    row: dict[str, Any] = {"backend": "PostgreSQL", "events": space.events}
    row["build_s"], row["indexed_notes"] = asyncio.run(_build(url))
    label = f"suggest, {space.events:,} events, PostgreSQL"
    row |= asyncio.run(ours(url, asks_, space, budget, label))
    row |= asyncio.run(pg_baseline(url, asks_, space, budget))
    return row


def report(row: dict[str, Any]) -> None:
    say(
        f"{row['backend']:>10} {row['events']:>9,} events: build {row['build_s']:.1f} s"
        f" ({row['indexed_notes']:,} notes); suggest p50 {row['p50_ms']:.1f} p99"
        f" {row['p99_ms']:.1f} ms, hit@3 {row['hit3']:.0%}; baseline build"
        f" {row['baseline_build_s']:.1f} s, p50 {row['baseline_p50_ms']:.1f} p99"
        f" {row['baseline_p99_ms']:.1f} ms, hit@3 {row['baseline_hit3']:.0%}"
    )


def checks(outcome: Outcome) -> None:
    for backend in ("SQLite", "PostgreSQL"):
        rows = [r for r in outcome.rows if r["backend"] == backend]
        if not rows:
            continue
        largest = rows[-1]
        at = f"at {largest['events']:,} events, {backend}"
        value = largest["p99_ms"]
        outcome.check(
            f"suggest p99 {at} (ms)", value, f"< {SUGGEST_TARGET_MS}", value < SUGGEST_TARGET_MS
        )
        built = [r for r in rows if r["events"] >= BUILD_AT]
        if built:
            value = built[-1]["build_s"]
            outcome.check(
                f"index build {at} (s)", value, f"< {BUILD_TARGET_S}", value < BUILD_TARGET_S
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.topics", description=__doc__)
    parser.add_argument("--sizes", default="50000,200000,1000000,5000000")
    parser.add_argument("--pg-sizes", default="1000000", help="'' to skip PostgreSQL")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--budget", type=float, default=8.0, help="seconds per query kind and size")
    parser.add_argument(
        "--postgres-only",
        action="store_true",
        help="only the PostgreSQL rows, added to the saved results (a long 5M run apart)",
    )
    args = parser.parse_args(argv)
    DATA.mkdir(parents=True, exist_ok=True)
    warm()
    outcome = Outcome("topics")
    pg_sizes = sizes(args.pg_sizes)
    if args.postgres_only and (saved := RESULTS / "topics.json").exists():
        earlier = json.loads(saved.read_text())["rows"]
        outcome.rows = [
            r for r in earlier if r["backend"] == "SQLite" or r["events"] not in pg_sizes
        ]
    with ExitStack() as stack:
        server = start_postgres(stack, outcome) if pg_sizes else None
        for events in sizes(args.sizes):
            space = generate(DATA, events, args.people)
            asks_ = asks(space, ASKS, np.random.default_rng(11))
            path = space.path  # PostgreSQL loads the events; it builds its own index
            if not args.postgres_only:
                row, path = sqlite_row(space, asks_, args.budget)
                outcome.rows.append(row)
                report(row)
            if server is not None and events in pg_sizes:
                pg = postgres_row(server, path, space, asks_, args.budget)
                outcome.rows.append(pg)
                report(pg)
            if path != space.path:
                path.unlink(missing_ok=True)
    outcome.rows.sort(key=lambda r: (r["backend"] != "SQLite", r["events"]))
    checks(outcome)
    plot_topics(outcome.rows, RESULTS / "topics_growth.png")
    outcome.notes += NOTES
    outcome.save()
    return exit_code(outcome)


NOTES = [
    "suggest: bot.services.suggest.who_could_help, the call /ask makes before it answers: analyse"
    " the ask (Sudachi, Snowball), the index's statistics, each telling term's 400 strongest"
    " people, BM25 per person, then leave out the asker, the busy and the opted out, and weigh"
    " the asker's ties. Asks are about a specialty of someone drawn by how often they help, half"
    " in Japanese; hit@3: one of the three suggested holds that specialty (of 20k people, a"
    " random pick of three holds it about 1% of the time).",
    "build: storage.topic_build over every event of the generated workspace (all recorded"
    " 'before' the index, as in an upgrade), in as many worker processes as cores, overlapping"
    " the writes (5,000 events a transaction); the bot serves meanwhile.",
    "baseline: the same analysed terms in the databases' own full-text search, one document"
    " per note: SQLite FTS5 bm25() and PostgreSQL to_tsvector('simple') + GIN + ts_rank, each"
    " summed per helper. Their build time leaves out the analysis, which both share. Where a"
    " baseline query takes seconds, the budget allows only a few dozen asks (the asks columns).",
    "notes: 75% of events carry one (a quarter are reactions without), 30% of people write in"
    " Japanese; ~2,800 topics, 3,000 made-up project names in both scripts, about 5,000"
    " distinct terms and 40% distinct notes at 200k events (bench/notes.py).",
]


if __name__ == "__main__":
    sys.exit(main())
