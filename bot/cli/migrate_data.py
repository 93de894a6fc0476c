"""``giveback migrate-data --from URL --to URL``: copy everything between databases, with progress."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from storage import open_store, parse_database_url
from storage.transfer import Progress as ProgressCallback
from storage.transfer import copy_store


@contextmanager
def progress_for(stream: TextIO) -> Iterator[ProgressCallback]:
    """A rich progress bar on a terminal, plain ``table: done/total`` lines otherwise."""
    if not stream.isatty():
        last: dict[str, int] = {}

        def lines(table: str, done: int, total: int) -> None:
            if last.get(table) != done:
                last[table] = done
                print(f"{table}: {done}/{total}", file=stream, flush=True)

        yield lines
        return
    bar = Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(file=stream),
    )
    tasks: dict[str, TaskID] = {}

    def show(table: str, done: int, total: int) -> None:
        if table not in tasks:
            tasks[table] = bar.add_task(table, total=total)
        bar.update(tasks[table], completed=done)

    with bar:
        yield show


async def migrate_data(
    source_url: str, target_url: str, out: TextIO | None = None
) -> dict[str, int]:
    """Open (and migrate) both stores, copy every table, verify counts; return rows per table."""
    out = out or sys.stderr
    source_parsed, target_parsed = parse_database_url(source_url), parse_database_url(target_url)
    if source_parsed == target_parsed:
        raise ValueError("--from and --to name the same database")
    source = await open_store(source_parsed)
    try:
        target = await open_store(target_parsed)
        try:
            with progress_for(out) as show:
                copied = await copy_store(source, target, show)
        finally:
            await target.close()
    finally:
        await source.close()
    total = sum(copied.values())
    print(f"copied {total} rows from {source_parsed} to {target_parsed}; counts verified", file=out)
    return copied
