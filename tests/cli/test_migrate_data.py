"""``giveback migrate-data``: a ledger copied between SQLite and PostgreSQL, counts verified."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.cli.migrate_data import progress_for
from bot.domain.records import HelpEvent, UserProfile
from bot.domain.settings import WorkspaceSettings
from storage import open_store
from storage.transfer import tables_in_order

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def event(n: int, team: str = "T1") -> HelpEvent:
    return HelpEvent(
        team,
        f"U{n % 7}",
        "UALICE",
        f"note {n}",
        "command",
        "C1",
        T0 + timedelta(minutes=n),
        key=f"k{n}",
    )


async def seed(url: str, events: int) -> None:
    store = await open_store(url)
    try:
        await store.events.record([event(n) for n in range(1, events + 1)])
        await store.events.record([event(1, team="T2")])
        await store.profiles.save(UserProfile("T1", "UALICE", name="alice", fetched_at=T0))
        await store.preferences.save_workspace("T1", WorkspaceSettings(threshold=7), now=T0)
        await store.dm_channels.remember("T1", "UALICE", "D0ALICE", now=T0)
        ask, _ = await store.asks.create(
            team_id="T1",
            asker_id="UALICE",
            text="a review?",
            channel_id="C1",
            asked=["UZED", "UBOB"],  # the order the asker named them, all at one moment
            held=False,
            now=T0,
            key="ask1",
        )
        for helper in ("UYAN", "UBOB"):
            await store.asks.offer(team_id="T1", ask_id=ask.id, user_id=helper, now=T0)
    finally:
        await store.close()


async def dump(url: str) -> list[tuple[object, ...]]:
    store = await open_store(url)
    try:
        return [
            (e.id, e.team_id, e.giver_id, e.note, e.created_at, e.key, e.counted)
            async for e in store.events.export()
        ]
    finally:
        await store.close()


async def test_sqlite_to_postgresql_and_back(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path / 'a.db'}"
    back = f"sqlite:///{tmp_path / 'b.db'}"
    await seed(source, 2500)  # more than one batch
    assert (
        await asyncio.to_thread(main, ["migrate-data", "--from", source, "--to", postgres_url]) == 0
    )
    assert (
        await asyncio.to_thread(main, ["migrate-data", "--from", postgres_url, "--to", back]) == 0
    )
    err = capsys.readouterr().err
    assert "help_events: 1000/2501" in err and "help_events: 2501/2501" in err
    assert "counts verified" in err and "postgres@" in err

    original = await dump(source)
    assert len(original) == 2501
    assert await dump(postgres_url) == original == await dump(back)
    copied = await open_store(postgres_url)
    try:
        assert (await copied.preferences.workspace("T1")).threshold == 7
        assert (await copied.profiles.get(team_id="T1", user_id="UALICE")).name == "alice"
        assert await copied.dm_channels.get("T1", "UALICE") == "D0ALICE"
        # Ids were copied as they were; new rows must not collide with them.
        assert await copied.events.record([event(9999)]) == [True]
        # The people of an ask keep their order, and newcomers join at the end.
        [ask] = await copied.asks.open_asks("T1")
        assert (ask.asked, ask.offers) == (("UZED", "UBOB"), ("UYAN", "UBOB"))
        assert await copied.asks.offer(team_id="T1", ask_id=ask.id, user_id="UAAA", now=T0)
        assert (await copied.asks.get(team_id="T1", ask_id=ask.id)).offers[-1] == "UAAA"
    finally:
        await copied.close()
    returned = await open_store(back)
    try:
        [ask] = await returned.asks.open_asks("T1")
        assert (ask.asked, ask.offers) == (("UZED", "UBOB"), ("UYAN", "UBOB"))
        assert await returned.dm_channels.get("T1", "UALICE") == "D0ALICE"
    finally:
        await returned.close()


async def test_a_target_with_data_is_refused_and_left_alone(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    await seed(source, 3)
    await seed(database_url, 1)
    before = await dump(database_url)
    assert (
        await asyncio.to_thread(main, ["migrate-data", "--from", source, "--to", database_url]) == 1
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already has rows in help_events" in err[0]
    assert await dump(database_url) == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "missing.db", "--to", "sqlite:///b.db"], "no database at missing.db"),
        (["--from", "a.db", "--to", "mysql://x/y"], "unsupported database URL"),
        (["--from", "a.db", "--to", "sqlite:///a.db"], "same database"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.db").touch()
    assert main(["migrate-data", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_an_unreachable_postgresql_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.db").touch()
    dead = "postgresql://nobody:pw@127.0.0.1:1/none"
    assert main(["migrate-data", "--from", str(tmp_path / "a.db"), "--to", dead]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot open postgresql://nobody:***@127.0.0.1:1/none" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar() -> None:
    screen = Terminal()
    with progress_for(screen) as show:
        show("help_events", 0, 10)
        show("help_events", 10, 10)
    assert "help_events" in screen.getvalue() and "10/10" in screen.getvalue()


def test_every_table_is_copied() -> None:
    assert tables_in_order()[:2] == ["help_events", "user_profiles"]
    assert {"workspace_settings", "user_preferences"} <= set(tables_in_order())
