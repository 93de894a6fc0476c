"""The nudge surfaces through the real app: opt-out, the config modal, the scheduler, the CLI."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.devtools.fakeslack import FakeSlack
from bot.domain.records import UserProfile
from bot.domain.settings import WorkspaceSettings
from bot.jobs.retention import RETENTION_AFTER_UNINSTALL
from bot.jobs.scheduler import RETENTION_JOB, SWEEP_JOB
from bot.jobs.sweep import run_sweep
from bot.server import running
from storage import Store
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, Bot, FakeClock, settings_for
from tests.support.config import (
    assert_saved,
    chosen,
    modal_state,
    open_config,
    submit_config,
    typed,
)
from tests.support.nudges import asking_without_giving, helped, make_env, open_ask, welcomed

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

ALWAYS = {"nudge_weekdays": tuple(range(7)), "nudge_start_hour": 0, "nudge_end_hour": 24}


async def seed(database: Path, at: datetime, **settings: object) -> None:
    """Alice asked six favours and gave none; Bob thanked Dave six times and asked nothing;
    Carol's ask is open. Everyone had their welcome; Alice's and Bob's profiles are cached."""
    store = await Store.open(database)
    try:
        await asking_without_giving(store, ALICE, at=at, helper=CAROL)
        await helped(store, DAVE, BOB, 6, at=at)
        await open_ask(store, CAROL, "a hand with the move", at=at)
        await welcomed(store, BOB, CAROL, DAVE, at=at)
        for user, tz in ((ALICE, "America/New_York"), (BOB, "Asia/Tokyo")):
            await store.profiles.save(UserProfile(TEAM, user, user, tz=tz, fetched_at=at))
        if settings:
            chosen = dataclasses.replace(WorkspaceSettings(), **settings)  # type: ignore[arg-type]
            await store.preferences.save_workspace(TEAM, chosen, now=at)
    finally:
        await store.close()


async def giveback(bot: Bot, text: str, user_id: str) -> dict:
    reply = await bot.sender.command(
        "/giveback", text, user_id=user_id, response_url=bot.fake.response_url()
    )
    assert reply.status == 200
    return reply.json() or {}


async def test_giveback_nudges_off_means_never_nudged_and_on_brings_them_back(bot: Bot) -> None:
    await helped(bot.store, BOB, ALICE, 3, at=bot.clock())  # Alice started: her welcome is due
    await welcomed(bot.store, BOB, at=bot.clock())
    env = make_env(bot.store, bot.fake, bot.clock)

    ack = await giveback(bot, "nudges off", ALICE)
    assert "won't send you nudges" in ack["text"] and ack["response_type"] == "ephemeral"
    assert (await bot.store.preferences.user(TEAM, ALICE)).nudges is False
    assert "Nudges are off" in (await giveback(bot, "nudges", ALICE))["text"]
    assert (await run_sweep(bot.deps, env.client, bot.clock())).sent() == []

    await giveback(bot, "nudges on", ALICE)
    bot.clock.advance(timedelta(minutes=15))
    assert [
        k.recipient_id for k in (await run_sweep(bot.deps, env.client, bot.clock())).sent()
    ] == [ALICE]


async def test_japanese_speakers_are_answered_in_japanese(bot: Bot) -> None:
    ack = await giveback(bot, "nudges off", BOB)
    assert "お知らせはお送りしません" in ack["text"]


async def test_config_is_for_admins_only(bot: Bot) -> None:
    ack = await giveback(bot, "config", ALICE)
    assert "Only workspace admins and owners" in ack["text"]
    assert bot.fake.calls_to("views.open") == []


async def test_an_admin_opens_the_config_modal_and_saves_valid_settings(bot: Bot) -> None:
    view = await open_config(bot)
    assert view["callback_id"] == "giveback_config"
    values = modal_state(view)

    values["nudge_end_hour"] = chosen("9")  # before the start
    values["threshold"] = typed("0")
    reply = await submit_config(bot, values)
    assert reply.json()["response_action"] == "errors"
    assert set(reply.json()["errors"]) == {"nudge_end_hour", "threshold"}
    assert await bot.store.preferences.workspace(TEAM) == WorkspaceSettings()

    values["nudge_end_hour"] = chosen("16")
    values["threshold"] = typed("5")
    values["digest_channel"] = {"value": {"selected_conversation": "CDIGEST"}}
    assert_saved(await submit_config(bot, values))
    saved = await bot.store.preferences.workspace(TEAM)
    assert saved == dataclasses.replace(
        WorkspaceSettings(), threshold=5, nudge_end_hour=16, digest_channel="CDIGEST"
    )


async def test_a_forged_submission_from_a_non_admin_changes_nothing(bot: Bot) -> None:
    reply = await submit_config(bot, {"threshold": typed("9")}, user=ALICE)
    assert reply.json()["response_action"] == "errors"
    assert await bot.store.preferences.workspace(TEAM) == WorkspaceSettings()


async def test_the_scheduler_sweeps_in_the_apps_loop_and_stops_with_it(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path
) -> None:
    database = tmp_path / "giveback.db"
    await seed(database, clock())
    settings = settings_for(fake, database)
    async with running(settings, clock=clock, host="127.0.0.1", scheduler=True) as live:
        assert live.scheduler is not None and live.scheduler.aps.running
        job = live.scheduler.aps.get_job(SWEEP_JOB)
        assert job is not None
        job.modify(next_run_time=datetime.now(UTC))  # the next slot, now
        [post] = await fake.wait_for("chat.postMessage")
        assert (
            post.args["metadata"]["event_payload"]["key"] == f"{TEAM}/{ALICE}/giveback/2026-11-23"
        )
    assert not live.scheduler.aps.running


async def test_the_scheduler_erases_workspaces_past_their_retention_period(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path
) -> None:
    database = tmp_path / "giveback.db"
    await seed(database, clock())
    settings = settings_for(fake, database)
    async with running(settings, clock=clock, host="127.0.0.1", scheduler=True) as live:
        store = live.deps.store
        await store.retention.departed(TEAM, now=clock() - RETENTION_AFTER_UNINSTALL * 2)
        assert live.scheduler is not None
        job = live.scheduler.aps.get_job(RETENTION_JOB)
        assert job is not None
        job.modify(next_run_time=datetime.now(UTC))
        for _ in range(500):
            if not await store.retention.held(TEAM):
                break
            await asyncio.sleep(0.01)
        assert await store.retention.held(TEAM) == {}


async def test_dry_run_prints_who_and_why_and_sends_nothing(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    database = tmp_path / "giveback.db"
    monday = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    await seed(database, monday)
    monkeypatch.setenv("GIVEBACK_DATABASE", str(database))
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)

    code = await asyncio.to_thread(main, ["nudge", "--dry-run", "--at", "2026-11-23T15:00:00Z"])
    out = capsys.readouterr().out
    assert code == 0
    assert (
        f"would send giveback to {ALICE}: asking more than giving (asked 6, gave 0 in 90 days),"
        " 1 open asks to help with (Mon 10:00 America/New_York)"
    ) in out
    # Bob thanked Dave six times and asked for nothing: never due, and the dry run says why.
    assert f"not {BOB}: has asked for nothing (asked 0, gave 0 in 90 days; thanks" in out
    assert f"not {DAVE}: has asked for nothing (asked 0, gave 6 in 90 days" in out
    assert f"not {CAROL}: gives as much as asks (asked 1, gave 5 in 90 days)" in out

    code = await asyncio.to_thread(main, ["nudge", "--dry-run", "--at", "2026-11-23T08:00:00"])
    out = capsys.readouterr().out
    assert f"not {ALICE}: outside the delivery window (Mon 03:00 America/New_York)" in out
    assert f"not {BOB}: has asked for nothing" in out  # at any hour

    assert fake.calls == []
    store = await Store.open(database)
    try:
        assert await store.nudges.records(TEAM) == []
    finally:
        await store.close()


async def test_nudge_now_runs_one_real_sweep(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    database = tmp_path / "giveback.db"
    await seed(database, datetime.now(UTC), **ALWAYS)  # --now uses the real clock
    for name, value in {
        "GIVEBACK_DATABASE": str(database),
        "SLACK_API_URL": fake.api_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
    }.items():
        monkeypatch.setenv(name, value)

    assert await asyncio.to_thread(main, ["nudge", "--now"]) == 0
    assert f"sent giveback to {ALICE}" in capsys.readouterr().out
    assert len(fake.messages[fake.dm_channel(ALICE)]) == 1

    assert await asyncio.to_thread(main, ["nudge", "--now"]) == 0
    assert len(fake.messages[fake.dm_channel(ALICE)]) == 1


def test_at_needs_dry_run(capsys: pytest.CaptureFixture) -> None:
    assert main(["nudge", "--now", "--at", "2026-11-23T15:00:00Z"]) == 2
    assert "--at works only with --dry-run" in capsys.readouterr().err
