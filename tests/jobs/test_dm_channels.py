"""DM channels remembered: conversations.open (Tier 3) once per person, not once per nudge;
a remembered channel that Slack says is gone is dropped and opened again, once."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.devtools.fakeslack import FakeSlack
from bot.domain.nudges import NudgeKey
from bot.domain.settings import WorkspaceSettings
from bot.jobs.sweep import run_sweep
from bot.slack.delivery import Outgoing, deliver_all
from storage import Store
from storage.privacy import PERSONAL_ROWS
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, FakeClock
from tests.support.nudges import Env, asking_without_giving, make_env, open_ask, welcomed

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
KEY = NudgeKey(TEAM, ALICE, "giveback", "2026-11-23")


@pytest.fixture
def env(store: Store, fake: FakeSlack, clock: FakeClock) -> Env:
    return make_env(store, fake, clock)


async def alice_asks(env: Env) -> None:
    """Alice is due an invitation: six favours asked, none given, Bob's ask open."""
    await asking_without_giving(env.store, ALICE, at=NOW, helper=CAROL)
    await open_ask(env.store, BOB, "a second pair of eyes", at=NOW)
    await welcomed(env.store, BOB, CAROL, DAVE, at=NOW)


async def kill_mid_send(env: Env) -> None:
    """Alice is due; the sweep posts her nudge and dies before hearing back."""
    await alice_asks(env)
    env.fake.slow("chat.postMessage", 30)  # posted at once, answered late: the kill lands first
    sweep = asyncio.create_task(run_sweep(env.deps, env.client, env.clock()))
    await env.fake.wait_for("chat.postMessage")
    sweep.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sweep
    env.fake.slow("chat.postMessage", 0)
    assert len(env.dms(ALICE)) == 1


def opens(env: Env) -> list[str]:
    return [str(c.args["users"]) for c in env.fake.calls_to("conversations.open")]


def posts(env: Env) -> list[tuple[str, bool]]:
    return [(str(c.args["channel"]), c.failed) for c in env.fake.calls_to("chat.postMessage")]


# ---- the store, on both backends ---------------------------------------------------------------


async def test_remember_get_and_forget_only_the_stale_id(store: Store) -> None:
    channels = store.dm_channels
    assert await channels.get(TEAM, ALICE) is None
    await channels.remember(TEAM, ALICE, "D1", now=NOW)
    await channels.remember("T0002", ALICE, "D9", now=NOW)
    assert await channels.get(TEAM, ALICE) == "D1"
    assert await channels.get("T0002", ALICE) == "D9"  # scoped by workspace

    await channels.remember(TEAM, ALICE, "D2", now=NOW)  # reopened elsewhere: replaced
    assert await channels.get(TEAM, ALICE) == "D2"
    assert await channels.forget(TEAM, ALICE, "D1") is False  # someone already put a newer one
    assert await channels.get(TEAM, ALICE) == "D2"
    assert await channels.forget(TEAM, ALICE, "D2") is True
    assert await channels.get(TEAM, ALICE) is None
    assert await channels.get("T0002", ALICE) == "D9"


async def test_forget_me_deletes_the_persons_dm_channel(store: Store) -> None:
    assert ("dm_channels", "user_id") in PERSONAL_ROWS
    await store.dm_channels.remember(TEAM, ALICE, "D1", now=NOW)
    await store.dm_channels.remember(TEAM, BOB, "D2", now=NOW)
    await store.dm_channels.remember("T0002", ALICE, "D3", now=NOW)

    forgotten = await store.privacy.forget(team_id=TEAM, user_id=ALICE)

    assert forgotten.rows >= 1
    assert await store.dm_channels.get(TEAM, ALICE) is None
    assert await store.dm_channels.get(TEAM, BOB) == "D2"
    assert await store.dm_channels.get("T0002", ALICE) == "D3"  # another workspace's person


# ---- through the sweep, against the fake Slack -------------------------------------------------


async def test_the_next_sweep_posts_to_the_remembered_dm_without_opening_it(env: Env) -> None:
    await alice_asks(env)
    settings = dataclasses.replace(WorkspaceSettings(), cooldown_days=7)
    await env.store.preferences.save_workspace(TEAM, settings, now=NOW)
    first = await run_sweep(env.deps, env.client, env.clock())
    assert [k.recipient_id for k in first.sent()] == [ALICE]
    assert opens(env) == [ALICE]
    dm = env.fake.dm_channel(ALICE)
    assert await env.store.dm_channels.get(TEAM, ALICE) == dm

    env.clock.advance(timedelta(days=7))  # the next Monday: nudged again
    second = await run_sweep(env.deps, env.client, env.clock())

    assert [k.period for k in second.sent()] == ["2026-11-30"]
    assert opens(env) == [ALICE]  # not opened a second time
    assert posts(env) == [(dm, False), (dm, False)]
    assert len(env.dms(ALICE)) == 2
    record = await env.store.nudges.get(second.sent()[0])
    assert record is not None and record.channel_id == dm


@pytest.mark.parametrize("error", ["channel_not_found", "is_archived", "not_in_channel"])
async def test_a_stale_remembered_channel_is_dropped_and_reopened_once(
    env: Env, error: str
) -> None:
    await alice_asks(env)
    await env.store.dm_channels.remember(TEAM, ALICE, "DSTALE01", now=NOW)
    env.fake.fail("chat.postMessage", error=error)  # the remembered channel refuses the post

    report = await run_sweep(env.deps, env.client, env.clock())

    dm = env.fake.dm_channel(ALICE)
    assert report.outcomes()[KEY] == "sent"
    assert posts(env) == [("DSTALE01", True), (dm, False)]
    assert opens(env) == [ALICE]
    assert len(env.dms(ALICE)) == 1
    assert await env.store.dm_channels.get(TEAM, ALICE) == dm
    record = await env.store.nudges.get(KEY)
    assert record is not None and record.status == "sent" and record.channel_id == dm


async def test_a_reopened_channel_that_fails_too_is_left_to_the_next_sweep(env: Env) -> None:
    await alice_asks(env)
    await env.store.dm_channels.remember(TEAM, ALICE, "DSTALE01", now=NOW)
    env.fake.fail("chat.postMessage", error="channel_not_found", times=2)

    first = await run_sweep(env.deps, env.client, env.clock())

    assert first.outcomes()[KEY] == "failed"
    assert opens(env) == [ALICE]  # reopened once, not in a loop
    assert len(env.fake.calls_to("chat.postMessage")) == 2
    record = await env.store.nudges.get(KEY)
    assert record is not None and record.status == "pending"  # nothing was posted: free to retry

    env.clock.advance(timedelta(minutes=15))
    second = await run_sweep(env.deps, env.client, env.clock())
    assert second.outcomes()[KEY] == "sent"
    assert opens(env) == [ALICE]  # the reopened channel was remembered
    assert len(env.dms(ALICE)) == 1


async def test_a_stale_channel_of_someone_who_left_is_skipped(env: Env) -> None:
    await alice_asks(env)
    await env.store.dm_channels.remember(TEAM, ALICE, "DSTALE01", now=NOW)
    env.fake.fail("chat.postMessage", error="is_archived")
    env.fake.fail("conversations.open", error="user_disabled")

    report = await run_sweep(env.deps, env.client, env.clock())

    assert report.outcomes()[KEY] == "skipped"
    assert await env.store.dm_channels.get(TEAM, ALICE) is None
    record = await env.store.nudges.get(KEY)
    assert record is not None and record.status == "skipped" and record.detail == "user_disabled"


async def test_an_uncertain_claim_looks_in_the_remembered_channel_without_opening(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Posted, then the process died before marking: the history check needs the channel id,
    and the remembered one serves."""
    await alice_asks(env)
    real_mark_sent = env.store.nudges.mark_sent
    crashed: list[NudgeKey] = []

    async def crash_once(key: NudgeKey, **kwargs: object) -> None:
        if not crashed:
            crashed.append(key)
            raise RuntimeError("process killed")
        await real_mark_sent(key, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(env.store.nudges, "mark_sent", crash_once)
    await run_sweep(env.deps, env.client, env.clock())
    assert opens(env) == [ALICE] and crashed

    env.clock.advance(timedelta(minutes=15))
    later = await run_sweep(env.deps, env.client, env.clock())

    assert later.outcomes()[KEY] == "recovered"
    assert opens(env) == [ALICE]
    [history] = env.fake.calls_to("conversations.history")
    assert history.args["channel"] == env.fake.dm_channel(ALICE)
    assert len(env.dms(ALICE)) == 1


async def test_an_uncertain_claim_with_a_stale_channel_looks_again_in_the_reopened_one(
    env: Env,
) -> None:
    """Killed mid-send; meanwhile the remembered id went stale. The history check fails there,
    so the DM is reopened and the check is made in it: the message is found, not resent."""
    await kill_mid_send(env)
    await env.store.dm_channels.remember(TEAM, ALICE, "DSTALE01", now=NOW)
    env.fake.fail("conversations.history", error="channel_not_found")

    env.clock.advance(timedelta(minutes=15))
    later = await run_sweep(env.deps, env.client, env.clock())

    dm = env.fake.dm_channel(ALICE)
    assert later.outcomes()[KEY] == "recovered"
    history = [str(c.args["channel"]) for c in env.fake.calls_to("conversations.history")]
    assert history == ["DSTALE01", dm]
    assert opens(env) == [ALICE, ALICE]  # the first sweep's, and the one reopening
    assert len(env.dms(ALICE)) == 1 and len(env.fake.calls_to("chat.postMessage")) == 1
    assert await env.store.dm_channels.get(TEAM, ALICE) == dm


async def test_an_uncertain_claim_checks_the_history_again_when_the_reopened_id_differs(
    env: Env,
) -> None:
    """The stale id's history answers (and shows nothing), its post is refused: the reopened
    channel is another one, where the first try's message may be, so it is looked in too."""
    await kill_mid_send(env)
    await env.store.dm_channels.remember(TEAM, ALICE, "DSTALE01", now=NOW)
    env.fake.fail("chat.postMessage", error="channel_not_found")

    env.clock.advance(timedelta(minutes=15))
    later = await run_sweep(env.deps, env.client, env.clock())

    dm = env.fake.dm_channel(ALICE)
    assert later.outcomes()[KEY] == "recovered"
    history = [str(c.args["channel"]) for c in env.fake.calls_to("conversations.history")]
    assert history == ["DSTALE01", dm]
    assert len(env.dms(ALICE)) == 1


async def test_channel_posts_neither_open_nor_remember_anything(
    store: Store, fake: FakeSlack, clock: FakeClock
) -> None:
    env = make_env(store, fake, clock)
    out = Outgoing(NudgeKey(TEAM, "CDIGEST", "digest", "2026-W48"), "digest", [], "CDIGEST")
    outcomes = await deliver_all(
        env.client, store.nudges, [out], now=NOW, concurrency=1, dm_channels=store.dm_channels
    )
    assert outcomes[out.key] == "sent"
    assert opens(env) == []
    assert await store.dm_channels.get(TEAM, "CDIGEST") is None


async def test_an_uncertain_claim_in_a_history_too_long_to_read_is_not_resent(env: Env) -> None:
    """Killed mid-send, then over 2,000 messages in the DM: the check cannot reach back to the
    claim, so the nudge is given up (never twice), not sent again."""
    await kill_mid_send(env)
    dm = env.fake.dm_channel(ALICE)
    for n in range(2001):
        env.fake.add_message(dm, ALICE, f"note to self {n}")

    env.clock.advance(timedelta(minutes=15))
    later = await run_sweep(env.deps, env.client, env.clock())

    assert later.outcomes()[KEY] == "skipped"
    assert len(env.fake.calls_to("chat.postMessage")) == 1  # the killed sweep's post alone
    assert len([m for m in env.dms(ALICE) if m.get("bot_id")]) == 1
    record = await env.store.nudges.get(KEY)
    assert record is not None and record.status == "skipped"
    assert record.detail == "history too long to check"
