"""The command line: export --since for CSV, stats, forget; bad input is one line and exit 2."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.domain.records import HelpEvent
from storage import Store

TEAM = "T0001"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    path = tmp_path / "cli.db"
    monkeypatch.setenv("GIVEBACK_DATABASE", str(path))

    async def seed() -> None:
        store = await Store.open(path)
        events = [
            HelpEvent(
                TEAM, "UALICE", "UBOB", "old help", "command", "C1", NOW - timedelta(days=10), "k1"
            ),
            HelpEvent(
                TEAM,
                "UBOB",
                "UALICE",
                "recent help",
                "command",
                "C1",
                NOW - timedelta(days=1),
                "k2:UBOB",
            ),
            HelpEvent(TEAM, "UCAROL", "UBOB", "pairing", "mention", "C1", NOW, "k3"),
        ]
        await store.events.record(events)
        for n, held in ((1, False), (2, False), (3, True)):
            await store.asks.create(
                team_id=TEAM,
                asker_id="UBOB",
                text=f"ask {n}",
                channel_id="C1",
                asked=[],
                held=held,
                now=NOW,
                key=f"ask{n}",
            )
        await store.close()

    asyncio.run(seed())
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_export_csv_honours_since(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    since = (NOW - timedelta(days=2)).isoformat().replace("+00:00", "Z")
    code, out, _ = run(["export", "--format", "csv", "--since", since], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["note"] for r in rows] == ["recent help", "pairing"]


def test_export_rejects_a_bad_since(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--format", "csv", "--since", "last tuesday"])
    assert exit_.value.code == 2
    assert "not an ISO-8601 time" in capsys.readouterr().err


def test_stats_prints_a_summary_table(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["stats", "--team", TEAM], capsys)
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == ["team", "events", "people", "two-way", "ties", "open", "asks"]
    assert row.split() == [TEAM, "3", "3", "1", "2"]  # the held ask is not open


def test_forget_anonymises_and_export_shows_the_token(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["forget", "--team", TEAM, "--user", "UALICE"], capsys)
    assert code == 0
    token = out.split("now ")[1].split()[0]
    assert token.startswith("anon-")
    _, exported, _ = run(["export", "--format", "csv"], capsys)
    assert "UALICE" not in exported
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(r["giver_id"], r["receiver_id"]) for r in rows] == [
        (token, "UBOB"),
        ("UBOB", token),
        ("UCAROL", "UBOB"),
    ]
    assert rows[0]["note"] == rows[1]["note"] == ""
    assert rows[2]["note"] == "pairing"


@pytest.mark.parametrize(
    "args",
    [
        ["forget", "--team", TEAM, "--user", "alice"],
        ["forget", "--team", "acme", "--user", "UALICE"],
        ["forget", "--user", "UALICE"],
    ],
)
def test_forget_bad_input_exits_2(
    database: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("giveback forget: error:")


def test_stats_without_a_database_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIVEBACK_DATABASE", str(tmp_path / "missing.db"))
    code, _, err = run(["stats"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "no database" in err
