"""The sweep against the fake Slack, with an injected clock: who, when, and exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.devtools.fakeslack import FakeSlack
from bot.domain.nudges import NudgeKey
from bot.domain.records import UserProfile
from bot.domain.settings import UserPreferences, WorkspaceSettings
from bot.jobs.sweep import run_sweep
from bot.services.deps import build_deps
from storage import Store, open_store
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, FakeClock
from tests.support.nudges import (
    Env,
    asked,
    asking_without_giving,
    helped,
    make_env,
    open_ask,
    welcomed,
)

MONDAY_NY_10AM = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Tokyo: Tuesday 00:00
MONDAY_TOKYO_10AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # New York: Sunday 20:00
ALICE_KEY = f"{TEAM}/{ALICE}/giveback/2026-11-23"


@pytest.fixture
def env(store: Store, fake: FakeSlack, clock: FakeClock) -> Env:
    return make_env(store, fake, clock)


async def alice_asks(store: Store, at: datetime = MONDAY_NY_10AM) -> None:
    """Alice asked six favours lately and gave none; Bob has an open ask she could help with.
    Everyone else had their welcome already."""
    await asking_without_giving(store, ALICE, at=at, helper=CAROL)
    await open_ask(store, BOB, "a second pair of eyes on my slides", at=at)
    await welcomed(store, BOB, CAROL, DAVE, at=at)


async def configure(store: Store, **changes: object) -> None:
    settings = dataclasses.replace(WorkspaceSettings(), **changes)  # type: ignore[arg-type]
    await store.preferences.save_workspace(TEAM, settings, now=MONDAY_NY_10AM)


def block_text(message: dict) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


async def test_people_asking_without_giving_are_invited_in_their_window_and_nobody_else(
    env: Env,
) -> None:
    await alice_asks(env.store)
    await helped(env.store, DAVE, BOB, 6, at=MONDAY_NY_10AM)  # Bob thanked Dave six times

    report = await run_sweep(env.deps, env.client, env.clock())

    assert [k.text for k in report.sent()] == [ALICE_KEY]
    [dm] = env.dms(ALICE)
    assert dm["metadata"] == {"event_type": "giveback_nudge", "event_payload": {"key": ALICE_KEY}}
    text = block_text(dm)
    assert "a second pair of eyes on my slides" in text and "ask_offer" in text
    assert f"<@{CAROL}>" not in text  # who helped her is never listed as "owed"
    for other in (BOB, CAROL, DAVE):
        assert env.dms(other) == []
    reasons = {d.user_id: d.reason for d in report.plans[0].decisions}
    assert reasons[BOB].startswith("gives as much as asks (asked 1, gave 0")  # thanks: nothing
    assert reasons[CAROL].startswith("has asked for nothing")
    assert reasons[DAVE].startswith("has asked for nothing")


async def test_a_workspace_that_uninstalled_the_app_is_not_nudged(env: Env) -> None:
    """Its tokens are gone and its people asked for nothing more (the data waits out the
    retention period, bot.jobs.retention)."""
    await alice_asks(env.store)
    await env.store.retention.departed(TEAM, now=env.clock())
    report = await run_sweep(env.deps, env.client, env.clock())
    assert report.sent() == [] and env.dms(ALICE) == []


async def test_a_second_sweep_in_the_same_window_sends_nothing_again(env: Env) -> None:
    await alice_asks(env.store)
    await run_sweep(env.deps, env.client, env.clock())
    env.clock.advance(timedelta(minutes=15))
    again = await run_sweep(env.deps, env.client, env.clock())
    assert again.sent() == []
    assert env.posted_keys() == [ALICE_KEY]


async def test_tokyo_and_new_york_are_nudged_at_their_own_ten_oclock(env: Env) -> None:
    start = datetime(2026, 11, 22, tzinfo=UTC)
    for person in (ALICE, BOB):  # Alice in New York, Bob in Tokyo: both asking, not giving
        await asking_without_giving(env.store, person, at=start, helper=CAROL)
    await open_ask(env.store, DAVE, "a hand with the move", at=start)
    await welcomed(env.store, CAROL, DAVE, at=start)

    env.clock.now = MONDAY_TOKYO_10AM
    tokyo = await run_sweep(env.deps, env.client, env.clock())
    assert [k.recipient_id for k in tokyo.sent()] == [BOB]
    alice = next(d for d in tokyo.plans[0].decisions if d.user_id == ALICE)
    assert "outside the delivery window (Sun 20:00 America/New_York)" in alice.reason

    env.clock.now = MONDAY_NY_10AM
    new_york = await run_sweep(env.deps, env.client, env.clock())
    assert [k.recipient_id for k in new_york.sent()] == [ALICE]
    bob = next(d for d in new_york.plans[0].decisions if d.user_id == BOB)
    assert "outside the delivery window (Tue 00:00 Asia/Tokyo)" in bob.reason


async def test_cooldown_spaces_nudges_out(env: Env) -> None:
    await alice_asks(env.store)
    await configure(env.store, nudge_weekdays=(0, 1, 2, 3, 4), cooldown_days=7)
    assert len((await run_sweep(env.deps, env.client, env.clock())).sent()) == 1

    env.clock.advance(timedelta(days=1))  # Tuesday 10:00 in New York: a nudge day, too soon
    tuesday = await run_sweep(env.deps, env.client, env.clock())
    assert tuesday.sent() == []
    alice = next(d for d in tuesday.plans[0].decisions if d.user_id == ALICE)
    assert alice.reason.startswith("cooldown until 2026-11-30")

    env.clock.advance(timedelta(days=6))  # the next Monday: cooldown over
    monday = await run_sweep(env.deps, env.client, env.clock())
    assert [k.text for k in monday.sent()] == [f"{TEAM}/{ALICE}/giveback/2026-11-30"]


async def test_opted_out_people_are_never_nudged(env: Env) -> None:
    await alice_asks(env.store)
    await env.store.preferences.save_user(
        TEAM, ALICE, UserPreferences(nudges=False), now=env.clock()
    )
    report = await run_sweep(env.deps, env.client, env.clock())
    assert report.sent() == []
    assert env.fake.calls_to("chat.postMessage") == []
    alice = next(d for d in report.plans[0].decisions if d.user_id == ALICE)
    assert alice.reason == "opted out of nudges"


async def test_a_sweep_killed_between_claim_and_send_resumes_without_duplicates(
    env: Env,
) -> None:
    await alice_asks(env.store)
    env.fake.fail("conversations.open", hang=30)
    sweep = asyncio.create_task(run_sweep(env.deps, env.client, env.clock()))
    await env.fake.wait_for("conversations.open")
    sweep.cancel()  # the process dies after claiming, before posting
    with contextlib.suppress(asyncio.CancelledError):
        await sweep
    key = NudgeKey(TEAM, ALICE, "giveback", "2026-11-23")
    assert (await env.store.nudges.get(key)).status == "claimed"  # type: ignore[union-attr]

    during_lease = await run_sweep(env.deps, env.client, env.clock())
    assert during_lease.outcomes()[key] == "taken"
    assert env.fake.calls_to("chat.postMessage") == []

    env.clock.advance(timedelta(minutes=15))
    resumed = await run_sweep(env.deps, env.client, env.clock())
    assert resumed.outcomes()[key] == "sent"
    assert env.posted_keys() == [ALICE_KEY]
    assert env.fake.calls_to("conversations.history")  # looked before re-sending
    record = await env.store.nudges.get(key)
    assert record is not None and record.status == "sent" and record.attempts == 2


async def test_a_crash_after_posting_before_marking_is_not_resent(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    await alice_asks(env.store)
    real_mark_sent = env.store.nudges.mark_sent
    crashed: list[NudgeKey] = []

    async def crash_once(key: NudgeKey, **kwargs: object) -> None:
        if not crashed:
            crashed.append(key)
            raise RuntimeError("process killed")
        await real_mark_sent(key, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(env.store.nudges, "mark_sent", crash_once)
    await run_sweep(env.deps, env.client, env.clock())
    assert env.posted_keys() == [ALICE_KEY] and crashed

    env.clock.advance(timedelta(minutes=15))
    later = await run_sweep(env.deps, env.client, env.clock())
    assert later.outcomes()[crashed[0]] == "recovered"
    assert env.posted_keys() == [ALICE_KEY]  # found in the DM's history: not posted again
    [history] = env.fake.calls_to("conversations.history")
    assert history.args["include_all_metadata"] in (True, "1", "true")
    record = await env.store.nudges.get(crashed[0])
    assert record is not None and record.status == "sent"
    assert record.message_ts == env.dms(ALICE)[0]["ts"]


async def test_two_concurrent_sweeps_send_each_nudge_once(env: Env) -> None:
    await alice_asks(env.store)
    await asking_without_giving(env.store, DAVE, at=MONDAY_NY_10AM, helper=CAROL)
    await configure(
        env.store, nudge_weekdays=tuple(range(7)), nudge_start_hour=0, nudge_end_hour=24
    )

    reports = await asyncio.gather(
        *(run_sweep(env.deps, env.client, env.clock()) for _ in range(3))
    )

    sent = sorted(k.recipient_id for r in reports for k in r.sent())
    assert sent == [ALICE, DAVE]
    assert sorted(env.posted_keys()) == sorted(set(env.posted_keys()))
    assert len(env.posted_keys()) == 2


async def test_two_processes_on_one_database_send_each_nudge_once(
    env: Env, clock: FakeClock
) -> None:
    await alice_asks(env.store)
    await asking_without_giving(env.store, DAVE, at=MONDAY_NY_10AM, helper=CAROL)
    await configure(
        env.store, nudge_weekdays=tuple(range(7)), nudge_start_hour=0, nudge_end_hour=24
    )
    other_store = await open_store(env.store.path)
    try:
        other = build_deps(other_store, clock)
        await asyncio.gather(
            run_sweep(env.deps, env.client, clock()),
            run_sweep(other, env.client, clock()),
            run_sweep(other, env.client, clock()),
        )
    finally:
        await other_store.close()
    assert sorted(env.posted_keys()) == [ALICE_KEY, f"{TEAM}/{DAVE}/giveback/2026-11-23"]


async def test_a_429_with_retry_after_slows_down_and_still_delivers(env: Env) -> None:
    await alice_asks(env.store)
    env.fake.fail("chat.postMessage", status=429, retry_after=1)

    report = await run_sweep(env.deps, env.client, env.clock())

    assert [k.text for k in report.sent()] == [ALICE_KEY]
    posts = env.fake.calls_to("chat.postMessage")
    assert [c.failed for c in posts] == [True, False]
    assert len(env.dms(ALICE)) == 1


async def test_rate_limits_beyond_the_retries_are_sent_by_the_next_sweep(
    store: Store, fake: FakeSlack, clock: FakeClock
) -> None:
    env = make_env(store, fake, clock, retries=False)
    await alice_asks(env.store)
    fake.fail("chat.postMessage", status=429, retry_after=120)  # past MAX_RETRY_AFTER: give up

    first = await run_sweep(env.deps, env.client, env.clock())
    assert first.sent() == [] and env.dms(ALICE) == []
    key = NudgeKey(TEAM, ALICE, "giveback", "2026-11-23")
    record = await env.store.nudges.get(key)
    assert record is not None and record.status == "pending"

    env.clock.advance(timedelta(minutes=15))
    second = await run_sweep(env.deps, env.client, env.clock())
    assert [k.text for k in second.sent()] == [ALICE_KEY]
    assert len(env.dms(ALICE)) == 1


async def test_a_person_who_left_is_skipped_and_never_retried(env: Env) -> None:
    await alice_asks(env.store)
    env.fake.fail("conversations.open", error="account_inactive")

    report = await run_sweep(env.deps, env.client, env.clock())
    key = NudgeKey(TEAM, ALICE, "giveback", "2026-11-23")
    assert report.outcomes()[key] == "skipped"
    record = await env.store.nudges.get(key)
    assert record is not None and record.status == "skipped" and record.detail == "account_inactive"

    env.clock.advance(timedelta(minutes=15))
    await run_sweep(env.deps, env.client, env.clock())
    assert env.fake.calls_to("chat.postMessage") == []


async def test_someone_slack_no_longer_knows_is_not_nudged(env: Env) -> None:
    await helped(env.store, BOB, "UGONE", 5, at=MONDAY_NY_10AM)  # not in the fake's users
    report = await run_sweep(env.deps, env.client, env.clock())
    assert report.sent() == []
    gone = next(d for d in report.plans[0].decisions if d.user_id == "UGONE")
    assert gone.reason == "not an active person in Slack"


async def test_a_newcomer_is_welcomed_once_and_never_invited(env: Env) -> None:
    await asked(env.store, ALICE, 3, at=MONDAY_NY_10AM, helper=BOB)  # 3 help events: new
    await open_ask(env.store, BOB, "a hand with the move", at=MONDAY_NY_10AM)
    await welcomed(env.store, BOB, at=MONDAY_NY_10AM)

    first = await run_sweep(env.deps, env.client, env.clock())
    assert [k.kind for k in first.sent()] == ["welcome"]
    [welcome] = env.dms(ALICE)
    assert "Welcome to giveback" in block_text(welcome)
    assert (await env.store.preferences.user(TEAM, ALICE)).welcomed

    env.clock.advance(timedelta(days=7))  # a week later, still asking, still new
    second = await run_sweep(env.deps, env.client, env.clock())
    assert second.sent() == []
    alice = next(d for d in second.plans[0].decisions if d.user_id == ALICE)
    assert alice.reason.startswith("newcomer (3 help events, fewer than 5): welcomed, never")


async def test_everyone_who_started_using_giveback_is_welcomed_once_and_nobody_else(
    env: Env,
) -> None:
    """The thanker, the thanked and the asker; not a colleague who never touched giveback."""
    await configure(  # (no check-in for Carol's unanswered ask: only welcomes are counted here)
        env.store,
        nudge_weekdays=tuple(range(7)),
        nudge_start_hour=0,
        nudge_end_hour=24,
        checkin_days=0,
    )
    await helped(env.store, BOB, ALICE, 1, at=MONDAY_NY_10AM)  # Alice thanked Bob
    await open_ask(env.store, CAROL, "a hand with the move", at=MONDAY_NY_10AM)
    await env.store.profiles.save(UserProfile(TEAM, DAVE, "dave", tz="America/New_York"))

    first = await run_sweep(env.deps, env.client, env.clock())
    assert sorted((k.recipient_id, k.kind) for k in first.sent()) == [
        (ALICE, "welcome"),
        (BOB, "welcome"),
        (CAROL, "welcome"),
    ]
    dave = next(d for d in first.plans[0].decisions if d.user_id == DAVE)
    assert dave.reason == "has not used giveback yet"

    env.clock.advance(timedelta(days=8))
    again = await run_sweep(env.deps, env.client, env.clock())
    assert again.sent() == []
    assert sorted(k.split("/")[1] for k in env.posted_keys()) == [ALICE, BOB, CAROL]


async def test_nobody_is_invited_the_day_they_saw_the_give_first_prompt(env: Env) -> None:
    await alice_asks(env.store)
    await env.store.asks.create(
        team_id=TEAM,
        asker_id=ALICE,
        text="held, then posted",
        channel_id="C0001",
        asked=[],
        held=True,
        now=MONDAY_NY_10AM - timedelta(hours=2),
        key="held",
    )
    report = await run_sweep(env.deps, env.client, env.clock())
    assert report.sent() == []
    alice = next(d for d in report.plans[0].decisions if d.user_id == ALICE)
    assert alice.reason == "saw the give-first prompt at 2026-11-23 13:00 UTC, within a day"


async def test_japanese_speakers_get_japanese(env: Env) -> None:
    start = datetime(2026, 11, 22, tzinfo=UTC)
    await asking_without_giving(env.store, BOB, at=start, helper=CAROL)
    await open_ask(env.store, DAVE, "引っ越しの手伝い", at=start)
    await welcomed(env.store, CAROL, DAVE, at=start)
    env.clock.now = MONDAY_TOKYO_10AM
    await run_sweep(env.deps, env.client, env.clock())
    [dm] = env.dms(BOB)
    text = block_text(dm)
    assert f"<@{DAVE}> さんのお願い: 引っ越しの手伝い" in text and "手伝います" in text


async def test_forgotten_people_are_never_nudged_nor_named(env: Env) -> None:
    await alice_asks(env.store)  # Bob's open ask is the one she could help with
    await asking_without_giving(env.store, BOB, at=MONDAY_NY_10AM, helper=CAROL)
    await open_ask(env.store, DAVE, "a hand with the move", at=MONDAY_NY_10AM)
    env.clock.now = MONDAY_TOKYO_10AM + timedelta(days=7)  # Bob's next Monday, in Tokyo
    await run_sweep(env.deps, env.client, env.clock())
    assert (await env.store.nudges.records(TEAM))[0].key.recipient_id == BOB

    await env.store.privacy.forget(team_id=TEAM, user_id=BOB)
    assert await env.store.nudges.records(TEAM) == []  # the log forgets Bob too

    env.clock.now = MONDAY_NY_10AM + timedelta(days=7)
    report = await run_sweep(env.deps, env.client, env.clock())
    assert [k.recipient_id for k in report.sent()] == [ALICE]
    text = block_text(env.dms(ALICE)[0])
    # Bob's ask is still open, under his token: never shown. Dave's is.
    assert "anon-" not in text and "slides" not in text and "a hand with the move" in text
    assert all(not d.user_id.startswith("anon-") for d in report.plans[0].decisions)
