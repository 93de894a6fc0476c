"""The scale benchmark's own machinery: the sweep child, its timeout, the PostgreSQL loader."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from bench.dataset import NOW, TEAM, generate, person
from bench.people import SWEEP_AT, TIMEZONES, with_profiles
from bench.pg_load import load_workspace
from bench.sweep_plan import plan_sweep
from bot.jobs.sweep import dry_run
from bot.services.deps import build_deps
from storage import open_store

PEOPLE = 300


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    space = generate(tmp_path_factory.mktemp("bench"), 4000, people=PEOPLE)
    return with_profiles(space)


async def _in_process_messages(url: str) -> list[str]:
    store = await open_store(url, migrate=False)
    try:
        deps = build_deps(store, lambda: SWEEP_AT)
        report = await dry_run(deps, SWEEP_AT)
    finally:
        await store.close()
    return sorted(f"{m.key.kind}:{m.key.recipient_id}" for p in report.plans for m in p.messages)


def test_profiles_give_everyone_a_listed_timezone(workspace: Path) -> None:
    async def timezones() -> list[str | None]:
        store = await open_store(f"sqlite:///{workspace}", migrate=False)
        try:
            return await store.activity.timezones(TEAM)
        finally:
            await store.close()

    found = asyncio.run(timezones())
    assert len(found) == PEOPLE
    assert set(found) <= {tz for tz, _, _ in TIMEZONES}
    assert len(set(found)) > 3


def test_sweep_child_plans_what_the_dry_run_plans(workspace: Path) -> None:
    url = f"sqlite:///{workspace}"
    result = plan_sweep(url, timeout=120)
    expected = asyncio.run(_in_process_messages(url))
    assert result["timed_out"] is False
    assert result["people"] == PEOPLE
    assert result["messages"] == len(expected) > 0
    assert result["digests"] == 1 == sum(m.startswith("digest:") for m in expected)
    assert 20 < result["peak_rss_mb"] < 2000  # a Python process's RSS, in MB not KiB
    assert result["seconds"] > 0
    assert result["store_calls"]["activity.balances"][0] == 1
    assert result["store_calls"]["preferences.users"][0] == 1  # everyone's, in one query


def test_sweep_child_is_stopped_at_the_timeout(workspace: Path) -> None:
    result = plan_sweep(f"sqlite:///{workspace}", timeout=0.05)
    assert result["timed_out"] is True
    assert result["seconds"] is None


async def test_postgres_load_answers_like_sqlite(workspace: Path, postgres_url: str) -> None:
    loaded = await load_workspace(workspace, postgres_url)
    assert loaded["rows"]["help_events"] == 4000
    assert loaded["rows"]["user_profiles"] == PEOPLE
    sqlite = await open_store(f"sqlite:///{workspace}", migrate=False)
    pg = await open_store(postgres_url, migrate=False)
    try:
        assert await pg.schema_version() == await sqlite.schema_version()
        for user in [person(i) for i in range(0, PEOPLE, 15)]:
            since = NOW.replace(year=NOW.year - 1)
            assert await pg.events.ledger(
                team_id=TEAM, user_id=user, since=since
            ) == await sqlite.events.ledger(team_id=TEAM, user_id=user, since=since)
            mine = await pg.insights.counterparts(team_id=TEAM, user_id=user)
            theirs = await sqlite.insights.counterparts(team_id=TEAM, user_id=user)
            assert sorted(mine, key=lambda c: c.user_id) == sorted(theirs, key=lambda c: c.user_id)
            assert await pg.profiles.get(team_id=TEAM, user_id=user) == await sqlite.profiles.get(
                team_id=TEAM, user_id=user
            )
        assert (await pg.preferences.workspace(TEAM)).digest_channel is not None
    finally:
        await sqlite.close()
        await pg.close()
    conn = await asyncpg.connect(postgres_url)
    try:
        definitions = [
            row[0]
            for row in await conn.fetch(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'help_events'"
            )
        ]
        # The indexes and the idempotency constraint dropped for the copy are back.
        for name in ("help_events_by_giver", "help_events_by_receiver", "help_events_by_time"):
            assert any(f" {name} " in d for d in definitions)
        assert any("UNIQUE" in d and "idem_key" in d for d in definitions)
        next_id = await conn.fetchval(
            "INSERT INTO help_events (team_id, giver_id, receiver_id, source, created_at, idem_key)"
            " VALUES ('T', 'A', 'B', 'command', 0, 'new') RETURNING id"
        )
        assert next_id == 4001
    finally:
        await conn.close()
