"""The CLI: migrate, export (JSON Lines and CSV), working beside a running bot."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.domain.records import HelpEvent
from storage import Store

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def event(n: int, team: str = "T1", giver: str = "UBOB", note: str = "the review") -> HelpEvent:
    return HelpEvent(
        team, giver, "UALICE", note, "command", "C1", T0 + timedelta(hours=n), key=f"k{n}"
    )


async def seeded(path: Path) -> None:
    store = await Store.open(path)
    await store.events.record(
        [event(1), event(2, note='quotes " and, commas'), event(3, team="T2")]
    )
    await store.close()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ledger.db"
    monkeypatch.setenv("GIVEBACK_DATABASE", str(path))
    monkeypatch.chdir(tmp_path)
    return path


def test_migrate_creates_and_is_idempotent(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == out[1] and "schema version" in out[0]


async def test_export_json_lines(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    await seeded(database)
    assert await _main(["export", "--format", "json", "--team", "T1"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["note"] for r in rows] == ["the review", 'quotes " and, commas']
    first = rows[0]
    assert (
        first["team_id"] == "T1"
        and first["giver_id"] == "UBOB"
        and first["receiver_id"] == "UALICE"
    )
    assert first["source"] == "command" and first["channel_id"] == "C1"
    assert first["created_at"] == "2026-11-02T10:30:00Z"


async def test_export_csv_all_teams_and_since(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await seeded(database)
    assert await _main(["export", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["team_id"] for r in rows] == ["T1", "T1", "T2"]
    assert rows[1]["note"] == 'quotes " and, commas'
    assert await _main(["export", "--format", "csv", "--since", "2026-11-02T11:00:00Z"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["created_at"] for r in rows] == ["2026-11-02T11:30:00Z", "2026-11-02T12:30:00Z"]


def test_export_without_a_database_is_one_clear_line(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no database" in err


def test_export_with_a_bad_since_exits_2(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--since", "last tuesday"])
    assert exit_info.value.code == 2
    assert "ISO-8601" in capsys.readouterr().err


async def test_export_works_while_the_bot_holds_the_database(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = await Store.open(database)  # the "running bot"
    try:
        await store.events.record([event(1)])
        assert await _main(["export"]) == 0
        await store.events.record([event(2)])
        assert await _main(["export"]) == 0
    finally:
        await store.close()
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3  # one row, then two


async def _main(argv: list[str]) -> int:
    """main() runs its own event loop: call it from a worker thread inside async tests."""
    import asyncio

    return await asyncio.to_thread(main, argv)
