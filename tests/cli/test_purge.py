"""``giveback purge --team T…``: erase a workspace from every table, or say what would go."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.domain.nudges import NudgeKey
from bot.domain.records import HelpEvent, UserProfile
from bot.domain.settings import UserPreferences, WorkspaceSettings
from storage import Store, open_store
from storage.ask_messages import AskMessage
from storage.dialect import dialect_of
from storage.installations import Key

GONE, STAYS = "T0GONE", "T0STAYS"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


async def seed(store: Store, team: str) -> None:
    """A little of everything a workspace leaves behind."""
    await store.events.record(
        [HelpEvent(team, "UA", "UB", "pairing", "command", "C1", NOW, f"{team}:k1")]
    )
    ask, _ = await store.asks.create(
        team_id=team, asker_id="UB", text="a review", channel_id="C1",
        asked=["UA"], held=False, now=NOW, key=f"{team}:ask",
    )  # fmt: skip
    await store.ask_messages.add(team, AskMessage(ask.id, "D1", "1.1", "dm", "en", "UA"))
    await store.profiles.save(UserProfile(team, "UA", name="a", fetched_at=NOW))
    await store.preferences.save_user(team, "UA", UserPreferences(nudges=False), now=NOW)
    await store.preferences.save_workspace(team, WorkspaceSettings(threshold=9), now=NOW)
    await store.dm_channels.remember(team, "UA", "D1", now=NOW)
    await store.nudges.claim(NudgeKey(team, "UA", "giveback", "w"), now=NOW, lease=timedelta(1))
    await store.offers.claim(team_id=team, key=f"detect:C1:{team}", user_id="UA", now=NOW)
    await store.tombstones.bury(
        team_id=team, key=f"react:C1:1.1:UA:{team}", removed_ts="1.2", now=NOW
    )
    await store.installations.save(
        Key(None, team), user_id="UA", installation={"team_id": team}, bot={}, installed_at=1
    )
    await store.retention.departed(team, now=NOW)


async def counts(url: str) -> dict[str, dict[str, int]]:
    """Rows per team in every table with a team_id column, read from the live schema."""
    store = await open_store(url)
    try:
        dialect = dialect_of(store.db)
        found: dict[str, dict[str, int]] = {}
        for (table,) in [tuple(r) for r in await store.db.fetchall(dialect.tables)]:
            columns = [str(c[0]) for c in await store.db.fetchall(dialect.table_columns, (table,))]
            if "team_id" in columns:
                rows = await store.db.fetchall(
                    f"SELECT team_id, count(*) FROM {table} GROUP BY team_id"
                )
                found[str(table)] = {str(r[0]): int(r[1]) for r in rows}
        return found
    finally:
        await store.close()


@pytest.fixture
async def database(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("GIVEBACK_DATABASE", database_url)
    store = await open_store(database_url)
    for team in (GONE, STAYS):
        await seed(store, team)
    await store.close()
    yield database_url


async def test_a_dry_run_lists_what_would_go_and_changes_nothing(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await counts(database)
    assert await asyncio.to_thread(main, ["purge", "--team", GONE, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{GONE}: would erase ") and "dry run: nothing changed" in out
    for table in ("help_events", "asks", "ask_messages", "slack_installations", "user_profiles"):
        assert table in out
    assert await counts(database) == before


async def test_purge_erases_the_workspace_from_every_table_and_nothing_else(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await counts(database)
    assert all(GONE in teams for teams in before.values() if teams), before  # seeded everywhere
    assert await asyncio.to_thread(main, ["purge", "--team", GONE]) == 0
    assert capsys.readouterr().out.startswith(f"{GONE}: erased ")
    after = await counts(database)
    assert all(GONE not in teams for teams in after.values())
    assert {t: rows.get(STAYS) for t, rows in after.items()} == {
        t: rows.get(STAYS) for t, rows in before.items()
    }
    assert await asyncio.to_thread(main, ["purge", "--team", GONE]) == 0
    assert capsys.readouterr().out == f"{GONE}: nothing stored\n"


@pytest.mark.parametrize("team", ["acme", "U0001", ""])
def test_a_bad_team_id_is_one_line_and_exit_2(
    team: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["purge", "--team", team])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("giveback purge: error:")
