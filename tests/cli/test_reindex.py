"""``giveback reindex``: the topic index emptied and built again from every event."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from bot.cli.main import main
from storage import Store
from storage.dbtypes import Connection
from tests.store.test_topics import assert_index_matches, random_events


async def seed_then_damage(path: Path) -> None:
    """Events indexed as written, then the index left wrong (as an analyser upgrade would:
    counts no longer what it reads)."""
    store = await Store.open(path)
    try:
        await store.events.record(random_events(random.Random(5), 60), daily_cap=50)

        async def damage(conn: Connection) -> None:
            await conn.execute("UPDATE topic_terms SET n = n + 7")
            await conn.execute("DELETE FROM topic_people")

        await store.db.write(damage)
    finally:
        await store.close()


async def check(path: Path) -> None:
    store = await Store.open(path)
    try:
        await assert_index_matches(store)
    finally:
        await store.close()


def test_reindex_rebuilds_the_index_from_every_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ledger.db"
    monkeypatch.setenv("GIVEBACK_DATABASE", str(path))
    asyncio.run(seed_then_damage(path))
    assert main(["reindex"]) == 0
    assert capsys.readouterr().out == "topic index rebuilt over 60 events\n"
    asyncio.run(check(path))


def test_reindex_without_a_database_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIVEBACK_DATABASE", str(tmp_path / "none.db"))
    assert main(["reindex"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("giveback: no database at")
