"""Open asks in nudges, closing the loop, re-surfacing, and the weekly digest, via the sweep."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.devtools.fakeslack import FakeSlack
from bot.domain.favours import Ask
from bot.domain.records import UserProfile
from bot.domain.settings import UserPreferences, WorkspaceSettings
from bot.jobs.sweep import run_sweep
from storage import Store
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, FakeClock
from tests.support.nudges import Env, ListAsks, asked, helped, make_env, welcomed

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday: New York 10:00, London 15:00


@pytest.fixture
def env(store: Store, fake: FakeSlack, clock: FakeClock) -> Env:
    return make_env(store, fake, clock)


_ids: dict[str, int] = {}


def ask_id(name: str) -> int:
    """Asks are named in these tests; the store would number them."""
    return _ids.setdefault(name, len(_ids) + 1)


def ask(name: str, asker: str, *, days: float, offers: tuple[str, ...] = ()) -> Ask:
    return Ask(
        id=ask_id(name),
        team_id=TEAM,
        asker_id=asker,
        text=f"Could someone {name}?",
        channel_id="C0001",
        status="open",
        created_at=NOW - timedelta(days=days),
        offers=offers,
    )


async def configure(store: Store, **changes: object) -> None:
    settings = dataclasses.replace(WorkspaceSettings(), **changes)  # type: ignore[arg-type]
    await store.preferences.save_workspace(TEAM, settings, now=NOW)


def buttons(message: dict) -> list[tuple[str, str]]:
    return [
        (b["accessory"]["action_id"], b["accessory"]["value"])
        for b in message.get("blocks", [])
        if b.get("accessory", {}).get("type") == "button"
    ]


async def test_the_invitation_lists_up_to_three_open_asks_with_i_can_help_buttons(
    env: Env,
) -> None:
    await asked(env.store, ALICE, 3, at=NOW, helper=BOB)  # six favours asked, none given
    await helped(env.store, CAROL, ALICE, 2, at=NOW)
    await welcomed(env.store, ALICE, BOB, CAROL, DAVE, at=NOW)
    asks = ListAsks(
        [
            ask("review-pr", DAVE, days=1),
            ask("fix-build", CAROL, days=0.5),
            ask("mine", ALICE, days=1),
            ask("deploy", BOB, days=0.2),
            ask("old-one", DAVE, days=1.5),
        ]
    )

    await run_sweep(env.deps, env.client, NOW, asks=asks)

    [dm] = env.dms(ALICE)
    # Bob and Carol helped Alice: their asks first; then the oldest other; never her own.
    assert buttons(dm) == [
        ("ask_offer", str(ask_id("deploy"))),
        ("ask_offer", str(ask_id("fix-build"))),
        ("ask_offer", str(ask_id("old-one"))),
    ]
    assert "I can help" in json.dumps(dm["blocks"])


async def test_an_ask_with_offers_left_open_three_days_gets_one_reminder(env: Env) -> None:
    asks = ListAsks(
        [ask("new", ALICE, days=2.5, offers=(BOB,)), ask("old", ALICE, days=3, offers=(BOB, CAROL))]
    )

    await env.deps.directory.profile(env.client, TEAM, ALICE)  # as /ask does: a known workspace
    await run_sweep(env.deps, env.client, NOW, asks=asks)
    env.clock.advance(timedelta(minutes=15))
    await run_sweep(env.deps, env.client, NOW + timedelta(minutes=15), asks=asks)

    [reminder] = env.dms(ALICE)
    assert (
        reminder["metadata"]["event_payload"]["key"] == f"{TEAM}/{ALICE}/close_loop/{ask_id('old')}"
    )
    text = json.dumps(reminder["blocks"])
    assert "press *Resolved*: it thanks them for you" in text and "Could someone old?" in text


async def test_an_unanswered_ask_is_shown_to_past_helpers_in_their_daytime(env: Env) -> None:
    await helped(env.store, BOB, ALICE, 3, at=NOW - timedelta(days=20))  # Tokyo: midnight now
    await helped(env.store, CAROL, ALICE, 2, at=NOW - timedelta(days=20))  # London: 15:00 now
    await helped(env.store, DAVE, ALICE, 1, at=NOW - timedelta(days=20))  # LA: 07:00 now
    await welcomed(env.store, ALICE, BOB, CAROL, DAVE, at=NOW)
    await configure(env.store, nudge_start_hour=9, nudge_end_hour=17)
    asks = ListAsks([ask("too-new", ALICE, days=1), ask("waiting", ALICE, days=2)])

    report = await run_sweep(env.deps, env.client, NOW, asks=asks)

    resurfaced = [(k.recipient_id, k.period) for k in report.sent() if k.kind == "resurface"]
    assert resurfaced == [(CAROL, str(ask_id("waiting")))]
    [dm] = env.dms(CAROL)
    assert buttons(dm) == [("ask_offer", str(ask_id("waiting")))]
    assert f"<@{ALICE}> asked 2 days ago" in json.dumps(dm["blocks"])

    env.clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # Tuesday 10:00 in Tokyo
    later = await run_sweep(env.deps, env.client, env.clock(), asks=asks)
    assert [k.recipient_id for k in later.sent() if k.kind == "resurface"] == [BOB]
    assert len(env.dms(CAROL)) == 1


async def test_opted_out_helpers_and_askers_get_no_reminders(env: Env) -> None:
    await helped(env.store, CAROL, ALICE, 2, at=NOW - timedelta(days=20))
    for user in (ALICE, CAROL):
        await env.store.preferences.save_user(TEAM, user, UserPreferences(nudges=False), now=NOW)
    asks = ListAsks([ask("waiting", ALICE, days=2), ask("closing", ALICE, days=4, offers=(BOB,))])
    report = await run_sweep(env.deps, env.client, NOW, asks=asks)
    assert report.sent() == []


async def test_the_weekly_digest_goes_to_the_channel_once(env: Env) -> None:
    await configure(env.store, digest_channel="CDIGEST")
    await helped(env.store, BOB, ALICE, 3, at=NOW)  # this week: Bob helps Alice 3 times
    await helped(env.store, BOB, CAROL, 1, at=NOW)  # and Carol once
    await helped(env.store, CAROL, BOB, 1, at=NOW)  # Carol helps back: a new two-way tie
    await helped(env.store, DAVE, ALICE, 1, at=NOW - timedelta(days=30))  # not this week
    await env.store.preferences.save_user(TEAM, CAROL, UserPreferences(hide_from_top=True), now=NOW)
    asks = ListAsks([ask("waiting", DAVE, days=2), ask("taken", DAVE, days=1, offers=(BOB,))])

    # Welcomed already, so nobody is looked up on Slack; Alice's cached profile puts the
    # workspace in New York, where 15:00 UTC is the digest's 10:00.
    await welcomed(env.store, ALICE, BOB, CAROL, DAVE, at=NOW)
    await env.store.profiles.save(UserProfile(TEAM, ALICE, "alice", tz="America/New_York"))
    await run_sweep(env.deps, env.client, NOW, asks=asks)
    await run_sweep(env.deps, env.client, NOW + timedelta(minutes=15), asks=asks)

    [digest] = env.fake.messages["CDIGEST"]
    assert digest["metadata"]["event_payload"]["key"] == f"{TEAM}/CDIGEST/digest/2026-W48"
    body = json.dumps(digest["blocks"], ensure_ascii=False)
    assert "*5* thanks given this week" in body
    assert f"<@{BOB}> helped 2 colleagues" in body
    assert f"<@{CAROL}> helped" not in body  # hidden from rankings
    # Carol hides, so her new tie with Bob is counted, never named (it is as private as
    # the network view).
    assert f"<@{CAROL}>" not in body and "⇄" not in body
    assert "Two colleagues helped each other both ways for the first time this week" in body
    assert "Could someone waiting?" in body and "Could someone taken?" not in body


async def test_the_digest_names_a_new_tie_only_when_both_show_in_rankings(env: Env) -> None:
    await configure(env.store, digest_channel="CDIGEST", nudge_start_hour=15, nudge_end_hour=16)
    for a, b in ((BOB, CAROL), (ALICE, DAVE), (CAROL, DAVE)):  # three new two-way ties
        await helped(env.store, a, b, 1, at=NOW)
        await helped(env.store, b, a, 1, at=NOW)
    await env.store.preferences.save_user(TEAM, DAVE, UserPreferences(hide_from_top=True), now=NOW)
    # Welcomed already: nobody is looked up on Slack, so the digest keeps UTC's hours.
    await welcomed(env.store, ALICE, BOB, CAROL, DAVE, at=NOW)
    await run_sweep(env.deps, env.client, NOW, asks=ListAsks([]))
    [digest] = env.fake.messages["CDIGEST"]
    body = json.dumps(digest["blocks"], ensure_ascii=False)
    assert f"<@{BOB}> ⇄ <@{CAROL}>" in body and "…and 2 more." in body
    assert f"<@{DAVE}>" not in body, body
    assert f"<@{ALICE}> ⇄" not in body and f"⇄ <@{ALICE}>" not in body


async def test_with_the_leaderboard_off_the_digest_names_no_tie(env: Env) -> None:
    await configure(
        env.store,
        digest_channel="CDIGEST",
        leaderboard=False,
        nudge_start_hour=15,
        nudge_end_hour=16,
    )  # 15:00 in UTC, the digest's timezone when nobody's is known
    await helped(env.store, BOB, CAROL, 1, at=NOW)
    await helped(env.store, CAROL, BOB, 1, at=NOW)
    await helped(env.store, ALICE, DAVE, 1, at=NOW)
    await helped(env.store, DAVE, ALICE, 1, at=NOW)
    # Welcomed already: nobody is looked up on Slack, so the digest keeps UTC's hours.
    await welcomed(env.store, ALICE, BOB, CAROL, DAVE, at=NOW)
    await run_sweep(env.deps, env.client, NOW, asks=ListAsks([]))
    [digest] = env.fake.messages["CDIGEST"]
    body = json.dumps(digest["blocks"], ensure_ascii=False)
    assert "⇄" not in body and not any(f"<@{u}>" in body for u in (ALICE, BOB, CAROL, DAVE))
    assert "2 pairs of colleagues helped each other both ways" in body


async def test_no_digest_without_a_channel_or_outside_the_window(env: Env) -> None:
    await helped(env.store, BOB, ALICE, 1, at=NOW)
    await run_sweep(env.deps, env.client, NOW)
    await configure(env.store, digest_channel="CDIGEST")
    await run_sweep(env.deps, env.client, NOW + timedelta(hours=3))  # 13:00 in New York
    assert "CDIGEST" not in env.fake.messages


async def test_a_helper_gets_one_resurfaced_ask_a_day_and_the_next_one_the_day_after(
    env: Env,
) -> None:
    await helped(env.store, CAROL, ALICE, 1, at=NOW - timedelta(days=20))
    await helped(env.store, CAROL, DAVE, 1, at=NOW - timedelta(days=20))
    await welcomed(env.store, ALICE, CAROL, DAVE, at=NOW)
    await configure(env.store, nudge_start_hour=9, nudge_end_hour=17)
    asks = ListAsks([ask("first", ALICE, days=3), ask("second", DAVE, days=2)])

    await run_sweep(env.deps, env.client, NOW, asks=asks)
    assert [m["metadata"]["event_payload"]["key"] for m in env.dms(CAROL)] == [
        f"{TEAM}/{CAROL}/resurface/{ask_id('first')}"
    ]
    # Later sweeps the same day keep the second ask for tomorrow: one reminder a day at most.
    await run_sweep(env.deps, env.client, NOW + timedelta(minutes=15), asks=asks)
    await run_sweep(env.deps, env.client, NOW + timedelta(hours=2), asks=asks)
    assert len(env.dms(CAROL)) == 1
    await run_sweep(env.deps, env.client, NOW + timedelta(days=1), asks=asks)
    assert [m["metadata"]["event_payload"]["key"] for m in env.dms(CAROL)] == [
        f"{TEAM}/{CAROL}/resurface/{ask_id('first')}",
        f"{TEAM}/{CAROL}/resurface/{ask_id('second')}",
    ]
