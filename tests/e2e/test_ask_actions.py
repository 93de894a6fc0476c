"""Buttons and the modal on a posted ask: offer, resolve, withdraw; double clicks; restarts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.devtools.fakeslack import FakeSlack
from bot.devtools.payloads import block_action
from bot.devtools.simulate import SignedSender
from bot.domain.favours import OPEN, RESOLVED, WITHDRAWN, Ask
from bot.server import EVENTS_PATH, running
from tests.conftest import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    HELPER_BOT,
    SECRET,
    TEAM,
    Bot,
    FakeClock,
    settings_for,
)
from tests.support.favours import ask, buttons, only_ask, posts_to, press, replies_to, submit

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def posted_ask(bot: Bot, text: str = f"<@{DAVE}> help with the flaky CI job") -> Ask:
    await ask(bot, text, ALICE)
    await bot.fake.wait_for("chat.postMessage", count=2)  # the channel, Dave's DM
    return await only_ask(bot)


def channel_message(bot: Bot) -> dict:
    [message] = bot.fake.messages["C0001"]
    return message


async def test_offer_tells_the_asker_and_shows_on_every_copy_once(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    (_, first), (_, second) = await asyncio.gather(
        press(bot, "ask_offer", the_ask.id, CAROL), press(bot, "ask_offer", the_ask.id, CAROL)
    )
    replies = [(await replies_to(bot, first))[0], (await replies_to(bot, second))[0]]

    assert (await only_ask(bot)).offers == (CAROL,)
    texts = sorted(r.args["text"] for r in replies)
    assert "Thank you" in texts[0] and "already offered" in texts[1]
    [dm] = posts_to(bot, ALICE)
    assert f"<@{CAROL}> can help" in dm.args["text"]
    assert buttons(dm.args["blocks"]) == [("ask_resolve", str(the_ask.id))]
    updates = bot.fake.calls_to("chat.update")
    assert len(updates) == 2  # the channel message and Dave's DM, once each
    assert all(f"Offered to help: <@{CAROL}>" in json.dumps(u.args["blocks"]) for u in updates)
    assert "Offered to help" in json.dumps(channel_message(bot)["blocks"])


async def test_the_asker_cannot_offer_on_their_own_ask(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    _, url = await press(bot, "ask_offer", the_ask.id, ALICE)
    [reply] = await replies_to(bot, url)
    assert "your own ask" in reply.args["text"]
    assert (await only_ask(bot)).offers == ()


async def test_resolve_credits_helpers_updates_messages_and_thanks_them(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    await press(bot, "ask_offer", the_ask.id, CAROL)
    await bot.fake.wait_for("chat.update", count=2)

    await press(bot, "ask_resolve", the_ask.id, ALICE)
    [opened] = await bot.fake.wait_for("views.open")
    view = opened.args["view"]
    assert view["blocks"][1]["element"]["initial_users"] == [CAROL]  # those who offered
    values = {
        "helpers": {"helpers": {"type": "multi_users_select", "selected_users": [CAROL, DAVE]}},
        "note": {"note": {"type": "plain_text_input", "value": "you saved my day"}},
    }
    reply = await submit(bot, view, values, ALICE)
    assert reply.text == ""  # closes the modal

    resolved = await only_ask(bot)
    assert resolved.status == RESOLVED and resolved.helpers == (CAROL, DAVE)
    events = await bot.events()
    assert [(e.giver_id, e.receiver_id, e.source) for e in events] == [
        (CAROL, ALICE, "ask"),
        (DAVE, ALICE, "ask"),
    ]
    await bot.fake.wait_for("chat.update", count=4)
    assert "resolved, thanks to" in channel_message(bot)["text"]
    assert buttons(channel_message(bot)["blocks"]) == []
    await _wait_dms(bot, CAROL, DAVE)
    assert "you saved my day" in json.dumps(posts_to(bot, CAROL)[-1].args["blocks"])

    # Submitting again (a double click on Submit, a replay) changes nothing.
    again = await submit(bot, view, values, ALICE)
    assert again.text == ""
    assert len(await bot.events()) == 2
    _, url = await press(bot, "ask_offer", the_ask.id, BOB)
    [late] = await replies_to(bot, url)
    assert "解決済み" in late.args["text"]  # Bob reads Japanese: "already resolved"


async def _wait_dms(bot: Bot, *users: str) -> None:
    for _ in range(500):
        if all(any("Thank you" in c.args["text"] for c in posts_to(bot, u)) for u in users):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("thank-you DMs not sent")


async def test_concurrent_submissions_record_once(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    await press(bot, "ask_resolve", the_ask.id, ALICE)
    [opened] = await bot.fake.wait_for("views.open")
    values = {"helpers": {"helpers": {"type": "multi_users_select", "selected_users": [CAROL]}}}
    await asyncio.gather(*(submit(bot, opened.args["view"], values, ALICE) for _ in range(3)))
    assert len(await bot.events()) == 1
    await _wait_dms(bot, CAROL)
    assert len([c for c in posts_to(bot, CAROL) if "Thank you" in c.args["text"]]) == 1


async def test_resolve_validation_errors_show_in_the_modal(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    await press(bot, "ask_resolve", the_ask.id, ALICE)
    [opened] = await bot.fake.wait_for("views.open")
    view = opened.args["view"]

    def picked(*users: str) -> dict:
        return {
            "helpers": {"helpers": {"type": "multi_users_select", "selected_users": list(users)}}
        }

    for users, expected in [
        ((ALICE,), "can't credit yourself"),
        ((), "at least one person"),
        ((HELPER_BOT,), "Bots and apps"),
    ]:
        body = (await submit(bot, view, picked(*users), ALICE)).json()
        assert body["response_action"] == "errors"
        assert expected in body["errors"]["helpers"]
    assert (await only_ask(bot)).status == OPEN and await bot.events() == []


async def test_only_the_asker_can_resolve_or_withdraw(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    for action in ("ask_resolve", "ask_withdraw"):
        _, url = await press(bot, action, the_ask.id, CAROL)
        [reply] = await replies_to(bot, url)
        assert f"Only <@{ALICE}> can close" in reply.args["text"]
    assert bot.fake.calls_to("views.open") == []
    assert (await only_ask(bot)).status == OPEN


async def test_withdraw_closes_without_credit_once(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    (_, first), (_, second) = await asyncio.gather(
        press(bot, "ask_withdraw", the_ask.id, ALICE), press(bot, "ask_withdraw", the_ask.id, ALICE)
    )
    texts = sorted(
        [
            (await replies_to(bot, first))[0].args["text"],
            (await replies_to(bot, second))[0].args["text"],
        ]
    )
    assert texts == ["This ask was withdrawn.", "Your ask is withdrawn."]
    assert (await only_ask(bot)).status == WITHDRAWN and await bot.events() == []
    assert len(bot.fake.calls_to("chat.update")) == 2
    assert "withdrew this ask" in channel_message(bot)["text"]
    # A resolve modal opened before the withdrawal now answers clearly.
    view = {
        "type": "modal",
        "callback_id": "ask_resolve_view",
        "private_metadata": json.dumps({"ask": the_ask.id}),
    }
    values = {"helpers": {"helpers": {"type": "multi_users_select", "selected_users": [CAROL]}}}
    body = (await submit(bot, view, values, ALICE)).json()
    assert "withdrawn" in body["errors"]["helpers"] and await bot.events() == []


async def test_a_deleted_ask_answers_clearly(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    await bot.store.db.write(
        lambda conn: conn.execute("DELETE FROM asks WHERE id = ?", (the_ask.id,))
    )
    for action in ("ask_offer", "ask_resolve", "ask_withdraw", "ask_anyway"):
        _, url = await press(bot, action, the_ask.id, ALICE)
        [reply] = await replies_to(bot, url)
        assert "no longer exists" in reply.args["text"]
    _, url = await press(bot, "ask_offer", "not-a-number", CAROL)
    assert "no longer exists" in (await replies_to(bot, url))[0].args["text"]


async def test_a_message_deleted_in_slack_does_not_break_the_offer(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    bot.fake.messages["C0001"].clear()
    _, url = await press(bot, "ask_offer", the_ask.id, CAROL)
    [reply] = await replies_to(bot, url)
    assert "Thank you" in reply.args["text"] and (await only_ask(bot)).offers == (CAROL,)


async def test_buttons_work_after_a_restart(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path
) -> None:
    database = tmp_path / "restart.db"
    async with running(settings_for(fake, database), clock=clock, host="127.0.0.1") as live:
        sender = SignedSender(f"http://127.0.0.1:{live.port}{EVENTS_PATH}", SECRET, team_id=TEAM)
        await sender.command(
            "/ask", "who knows terraform?", user_id=ALICE, response_url=fake.response_url()
        )
        await fake.wait_for("chat.postMessage")
        await sender.close()
    async with running(settings_for(fake, database), clock=clock, host="127.0.0.1") as live:
        sender = SignedSender(f"http://127.0.0.1:{live.port}{EVENTS_PATH}", SECRET, team_id=TEAM)
        [row] = await live.deps.store.db.fetchall("SELECT id FROM asks")
        url = fake.response_url()
        await sender.interaction(
            block_action("ask_offer", str(row[0]), user_id=CAROL, response_url=url)
        )
        await fake.wait_for("chat.update")
        assert (await live.deps.store.asks.get(team_id=TEAM, ask_id=row[0])).offers == (CAROL,)
        await sender.close()


async def test_a_forged_button_press_is_refused(bot: Bot) -> None:
    the_ask = await posted_ask(bot)
    payload = block_action("ask_withdraw", str(the_ask.id), user_id=ALICE)
    body = "payload=" + quote(json.dumps({**payload, "team": {"id": TEAM}}))
    reply = await bot.sender.post(
        body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
    )
    assert reply.status == 401
    assert (await only_ask(bot)).status == OPEN
