"""Security: only Slack's signed requests are served, one workspace never sees another's, and
only admins change a workspace's settings."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.devtools.fakeslack import FakeSlack
from bot.devtools.simulate import Reply, SignedSender
from bot.domain.settings import WorkspaceSettings
from bot.views.ids import FORGET_CONFIRM
from tests.conftest import ALICE, BOB, CAROL, DAVE, HELPER_BOT, TEAM, Bot, FakeClock
from tests.support.config import assert_saved, config_submission, settings_state
from tests.support.oauth import Distributed, serving

OTHER = "T0002"
THANKS = urlencode(
    {
        "command": "/thanks",
        "text": f"<@{BOB}> for it",
        "user_id": ALICE,
        "team_id": TEAM,
        "trigger_id": "1.2.sec",
        "response_url": "",
    }
)


async def test_forged_stale_future_and_missing_signatures_are_refused(bot: Bot) -> None:
    form = "application/x-www-form-urlencoded"
    forged = await bot.sender.post(THANKS, form, signature="v0=" + "0" * 64)
    stale = await bot.sender.post(THANKS, form, timestamp=int(time.time()) - 6 * 60)
    future = await bot.sender.post(THANKS, form, timestamp=int(time.time()) + 6 * 60)
    async with (
        aiohttp.ClientSession() as session,
        session.post(bot.sender.url, data=THANKS, headers={"Content-Type": form}) as unsigned,
    ):
        unsigned_status = unsigned.status
    assert [forged.status, stale.status, future.status, unsigned_status] == [401] * 4
    assert await bot.events() == []
    assert bot.fake.calls == []  # not even a users.info lookup


async def test_a_signature_for_another_body_is_refused(bot: Bot) -> None:
    stamp = str(int(time.time()))
    signature = bot.sender._verifier.generate_signature(timestamp=stamp, body=THANKS)
    tampered = THANKS.replace("for+it", "for+everything")
    reply = await bot.sender.post(
        tampered, "application/x-www-form-urlencoded", timestamp=int(stamp), signature=signature
    )
    assert reply.status == 401
    assert await bot.events() == []


async def ledger_text(sender: SignedSender, user: str, team: str) -> str:
    reply = await sender.command("/giveback", "", user_id=user, team_id=team)
    return json.dumps(reply.json(), ensure_ascii=False)


@pytest.fixture
async def two_workspaces(
    fake: FakeSlack, clock: FakeClock, database_url: str
) -> AsyncIterator[Distributed]:
    """The bot installed (OAuth) in TEAM and OTHER, on each backend."""
    async with serving(fake, clock, database_url) as running_app:
        for team in (TEAM, OTHER):
            assert (await running_app.install(team)).status == 200
        yield running_app


async def test_another_workspace_never_reads_or_writes_this_ones_ledger(
    two_workspaces: Distributed,
) -> None:
    sender = two_workspaces.sender(TEAM)
    try:
        for note in ("review", "deploy", "pairing"):  # in T0001: Bob helped Alice 3 times
            await sender.command("/thanks", f"<@{BOB}> for the {note}", user_id=ALICE)
        mine_before = await ledger_text(sender, ALICE, TEAM)

        # The same user ids arriving from another workspace see nothing of T0001...
        assert "Nothing recorded yet" in await ledger_text(sender, ALICE, OTHER)
        assert "まだ記録がありません" in await ledger_text(sender, BOB, OTHER)  # Bob reads Japanese
        # ...and what they record stays in their workspace.
        reply = await sender.command(
            "/thanks", f"<@{CAROL}> for onboarding", user_id=ALICE, team_id=OTHER
        )
        assert reply.status == 200
        store = two_workspaces.store
        other = [e async for e in store.events.export(team_id=OTHER)]
        assert [(e.team_id, e.giver_id, e.receiver_id) for e in other] == [(OTHER, CAROL, ALICE)]
        assert [e.team_id async for e in store.events.export(team_id=TEAM)] == [TEAM] * 3
        assert await ledger_text(sender, ALICE, TEAM) == mine_before
        assert "×3" not in await ledger_text(sender, ALICE, OTHER)
    finally:
        await sender.close()


async def test_the_same_delivery_id_in_two_workspaces_is_two_deliveries(
    two_workspaces: Distributed,
) -> None:
    sender = two_workspaces.sender(TEAM)
    try:
        for team in (TEAM, OTHER):
            await sender.command(
                "/thanks", f"<@{BOB}> for it", user_id=ALICE, team_id=team, trigger_id="same.1.x"
            )
    finally:
        await sender.close()
    for team in (TEAM, OTHER):
        assert len([e async for e in two_workspaces.store.events.export(team_id=team)]) == 1


async def test_a_mention_from_another_workspace_is_scoped_to_it(
    two_workspaces: Distributed,
) -> None:
    sender = two_workspaces.sender(OTHER)
    try:
        assert (await sender.event(MENTION, team_id=OTHER)).status == 200
    finally:
        await sender.close()
    store = two_workspaces.store
    assert [e.team_id async for e in store.events.export(team_id=OTHER)] == [OTHER]
    assert [e async for e in store.events.export(team_id=TEAM)] == []


MENTION = {
    "type": "app_mention",
    "user": ALICE,
    "text": f"<@UBOT> thanks <@{BOB}> for the help",
    "ts": "1700000000.000900",
    "channel": "C0001",
    "event_ts": "1700000000.000900",
}


async def test_with_one_token_only_its_own_workspace_is_answered(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """One bot token belongs to one workspace (auth.test names it): a signed request for
    another is refused kindly, stores nothing, and so gives the sweep nobody to DM with this
    workspace's token."""
    reply = await bot.sender.command("/thanks", f"<@{BOB}> for it", user_id=ALICE, team_id=OTHER)
    assert reply.status == 200
    assert "isn't set up for your workspace" in reply.json()["text"]
    assert (await bot.sender.event(MENTION, team_id=OTHER)).status == 200
    opened = {"type": "app_home_opened", "user": ALICE, "tab": "home", "event_ts": "1.2"}
    assert (await bot.sender.event(opened, team_id=OTHER)).status == 200
    assert await bot.events(OTHER) == [] and await bot.events(TEAM) == []
    assert OTHER not in await bot.store.activity.teams()
    assert bot.fake.calls_to("views.publish") == [] and bot.fake.calls_to("users.info") == []
    refusals = [r.getMessage() for r in caplog.records if "another workspace" in r.getMessage()]
    assert len(refusals) == 1  # one line for the three, not one each
    assert "team T0002; this bot's token is for T0001" in refusals[0]
    # The same requests for its own workspace are served.
    assert (await bot.sender.event(MENTION)).status == 200
    assert len(await bot.events(TEAM)) == 1


# ---- Admin-only actions, tried by people who are not (or no longer) admins ----------------
#
# The admin-only surfaces: `/giveback config` (opens the settings modal) and the modal's
# submission (callback giveback_config), which is the one that writes. Everything else a
# person can change is their own (`/giveback nudges`, `top hide`, Home toggles, `forget me`).

CHANGED = WorkspaceSettings(
    threshold=9,
    window_days=30,
    policy="off",
    nudge_weekdays=(5, 6),
    nudge_start_hour=1,
    nudge_end_hour=3,
    cooldown_days=2,
    digest_channel="CDIGEST",
    language="ja",
    newcomer_events=0,
    busy_asks=7,
    daily_pair_cap=1,
    announce="private",
    reaction_emoji=("tada", "+1"),
    leaderboard=False,
)
GUEST, OLD_ADMIN, STRANGER = "UGUEST", "UOLDADMIN", "UNOBODY"


def stored(database: Path) -> list[str]:
    """Everything in the store but the users.info cache, as SQL."""
    with sqlite3.connect(database) as conn:
        return [line for line in conn.iterdump() if "user_profiles" not in line]


def refusal(reply: Reply) -> str:
    """The modal's error message: the submission was refused, kindly, and the modal stays."""
    assert reply.status == 200
    body = reply.json()
    assert body["response_action"] == "errors"
    [message] = body["errors"].values()
    return str(message)


async def test_non_admins_cannot_open_the_settings(bot: Bot) -> None:
    bot.fake.add_user(GUEST, "guest")
    bot.fake.add_user(OLD_ADMIN, "old admin", is_admin=True, deleted=True)
    before = stored(bot.database)
    for user in (ALICE, BOB, GUEST, OLD_ADMIN, STRANGER, HELPER_BOT):
        reply = await bot.sender.command("/giveback", "config", user_id=user)
        assert reply.status == 200, user
        text = reply.json()["text"]
        assert "Only workspace admins and owners" in text or "管理者とオーナーのみ" in text, user
    assert bot.fake.calls_to("views.open") == []
    assert stored(bot.database) == before


async def test_a_forged_config_submission_from_a_non_admin_saves_nothing(bot: Bot) -> None:
    bot.fake.add_user(OLD_ADMIN, "old admin", is_admin=True, deleted=True)
    before = stored(bot.database)
    # Nobody here opened the modal: the check is at submission, not only at opening.
    for user in (ALICE, CAROL, OLD_ADMIN, STRANGER, HELPER_BOT):
        message = refusal(
            await bot.sender.interaction(config_submission(settings_state(CHANGED), user))
        )
        assert "Only workspace admins and owners" in message, user
    ja = refusal(await bot.sender.interaction(config_submission(settings_state(CHANGED), BOB)))
    assert "管理者とオーナーのみ" in ja
    assert stored(bot.database) == before
    assert await bot.store.preferences.workspace(TEAM) == WorkspaceSettings()

    # The very same submission from an admin is saved: it was refused for who sent it.
    assert_saved(await bot.sender.interaction(config_submission(settings_state(CHANGED), DAVE)))
    assert await bot.store.preferences.workspace(TEAM) == CHANGED


async def test_an_admin_demoted_while_the_modal_is_open_cannot_save(bot: Bot) -> None:
    assert (await bot.sender.command("/giveback", "config", user_id=DAVE)).text == ""
    await bot.fake.wait_for("views.open")  # Dave was an admin when the modal opened
    bot.fake.users[DAVE].is_admin = False
    before = stored(bot.database)

    message = refusal(
        await bot.sender.interaction(config_submission(settings_state(CHANGED), DAVE))
    )
    assert "Only workspace admins and owners" in message
    assert stored(bot.database) == before


async def test_when_slack_cannot_confirm_an_admin_nothing_is_saved(bot: Bot) -> None:
    """The cache still says admin (from opening the modal), but rights may have been revoked
    since: without Slack's answer the submission is refused, never taken on the cache's word."""
    assert (await bot.sender.command("/giveback", "config", user_id=DAVE)).text == ""
    await bot.fake.wait_for("views.open")
    bot.fake.users[DAVE].is_admin = False
    bot.fake.fail("users.info", status=500, times=10)  # more than the client's retries
    before = stored(bot.database)

    message = refusal(
        await bot.sender.interaction(config_submission(settings_state(CHANGED), DAVE))
    )
    assert "didn't tell me whether you're still an admin" in message
    assert stored(bot.database) == before


async def test_nobody_can_forget_someone_else(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for the review")
    await bot.fake.wait_for("response_url")  # its announcement, so the count below is settled
    before = stored(bot.database)
    reply = await bot.sender.command("/giveback", f"forget <@{BOB}>", user_id=ALICE)
    assert reply.status == 200 and "/giveback forget me" in reply.json()["text"]
    assert stored(bot.database) == before

    # A forged confirmation naming Bob forgets whoever pressed it, never the one named.
    forged = {
        "type": "block_actions",
        "user": {"id": ALICE, "team_id": TEAM},
        "trigger_id": "1.2.forget",
        "response_url": bot.fake.response_url(),
        "actions": [{"action_id": FORGET_CONFIRM, "block_id": "forget", "value": BOB}],
    }
    answered = len(bot.fake.calls_to("response_url"))
    assert (await bot.sender.interaction(forged)).status == 200
    await bot.fake.wait_for("response_url", answered + 1)
    [event] = await bot.events()
    assert event.giver_id == BOB and event.receiver_id != ALICE
