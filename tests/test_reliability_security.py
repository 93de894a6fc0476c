"""Security: only Slack's signed requests are served, and one workspace never sees another's."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import aiohttp

from tests.conftest import ALICE, BOB, CAROL, TEAM, Bot

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


async def ledger_text(bot: Bot, user: str, team: str) -> str:
    reply = await bot.sender.command("/giveback", "", user_id=user, team_id=team)
    return json.dumps(reply.json(), ensure_ascii=False)


async def test_another_workspace_never_reads_or_writes_this_ones_ledger(bot: Bot) -> None:
    for note in ("review", "deploy", "pairing"):
        await bot.thanks(f"<@{BOB}> for the {note}")  # in T0001: Bob helped Alice 3 times
    mine_before = await ledger_text(bot, ALICE, TEAM)

    # The same user ids arriving from another workspace see nothing of T0001...
    assert "Nothing recorded yet" in await ledger_text(bot, ALICE, OTHER)
    assert "まだ記録がありません" in await ledger_text(bot, BOB, OTHER)  # Bob reads Japanese
    # ...and what they record stays in their workspace.
    reply = await bot.sender.command(
        "/thanks", f"<@{CAROL}> for onboarding", user_id=ALICE, team_id=OTHER
    )
    assert reply.status == 200
    other = await bot.events(OTHER)
    assert [(e.team_id, e.giver_id, e.receiver_id) for e in other] == [(OTHER, CAROL, ALICE)]
    assert [e.team_id for e in await bot.events()] == [TEAM] * 3
    assert await ledger_text(bot, ALICE, TEAM) == mine_before
    assert "×3" not in await ledger_text(bot, ALICE, OTHER)


async def test_the_same_delivery_id_in_two_workspaces_is_two_deliveries(bot: Bot) -> None:
    for team in (TEAM, OTHER):
        await bot.sender.command(
            "/thanks", f"<@{BOB}> for it", user_id=ALICE, team_id=team, trigger_id="same.1.x"
        )
    assert len(await bot.events(TEAM)) == 1 and len(await bot.events(OTHER)) == 1


async def test_a_mention_from_another_workspace_is_scoped_to_it(bot: Bot) -> None:
    event = {
        "type": "app_mention",
        "user": ALICE,
        "text": f"<@UBOT> thanks <@{BOB}> for the help",
        "ts": "1700000000.000900",
        "channel": "C0001",
        "event_ts": "1700000000.000900",
    }
    assert (await bot.sender.event(event, team_id=OTHER)).status == 200
    assert [e.team_id for e in await bot.events(OTHER)] == [OTHER]
    assert await bot.events(TEAM) == []
