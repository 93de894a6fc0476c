"""App Home, the thanks modal, /giveback network|top|forget through the real app over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.domain.settings import UserPreferences, WorkspaceSettings
from tests.conftest import ALICE, BOB, CAROL, DAVE, HELPER_BOT, TEAM, Bot

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


def home_text(bot: Bot, user: str) -> str:
    return json.dumps(bot.fake.home_tabs[user]["blocks"], ensure_ascii=False)


def action(user: str, action_id: str, value: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user, "team_id": TEAM},
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": value,
                "action_ts": "1700000000.000001",
            }
        ],
        **extra,
    }


def submission(user: str, view_id: str, helpers: list[str], note: str = "") -> dict[str, Any]:
    return {
        "type": "view_submission",
        "user": {"id": user, "team_id": TEAM},
        "trigger_id": "1.2.3",
        "view": {
            "id": view_id,
            "type": "modal",
            "callback_id": "thanks_modal",
            "private_metadata": "en",
            "state": {
                "values": {
                    "helpers": {
                        "helpers": {"type": "multi_users_select", "selected_users": helpers}
                    },
                    "note": {"note": {"type": "plain_text_input", "value": note or None}},
                }
            },
        },
    }


async def open_home(bot: Bot, user: str) -> None:
    count = len(bot.fake.calls_to("views.publish"))
    await bot.sender.event(
        {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
    )
    await bot.fake.wait_for("views.publish", count + 1)


async def test_home_for_someone_new_is_published_with_what_to_do_first(bot: Bot) -> None:
    await open_home(bot, CAROL)
    [call] = bot.fake.calls_to("views.publish")
    assert call.args["user_id"] == CAROL and call.args["view"]["type"] == "home"
    assert "Nothing recorded yet" in home_text(bot, CAROL)
    # the messages tab is not the Home tab
    await bot.sender.event(
        {"type": "app_home_opened", "user": DAVE, "channel": "D2", "tab": "messages"}
    )
    await open_home(bot, CAROL)
    assert DAVE not in bot.fake.home_tabs


async def seen_homes(bot: Bot, *users: str) -> int:
    """Open each person's Home once (so changes republish it); return the publishes so far."""
    for user in users:
        await open_home(bot, user)
    return len(bot.fake.calls_to("views.publish"))


async def test_thanks_refreshes_both_homes_in_each_persons_language(bot: Bot) -> None:
    base = await seen_homes(bot, ALICE, BOB)
    await bot.thanks(f"<@{BOB}> for the review")
    await bot.fake.wait_for("views.publish", base + 2)
    assert f"<@{BOB}> helped you once" in home_text(bot, ALICE)  # to thank back
    bob = home_text(bot, BOB)
    assert "あなたの giveback" in bob  # Bob's Slack locale is ja-JP
    # now Alice helps Bob back: a two-way tie on both Homes, nothing left to thank back
    await bot.thanks(f"<@{ALICE}> for the deploy", user_id=BOB)
    await bot.fake.wait_for("views.publish", base + 4)
    assert f"<@{BOB}>: you helped once, they helped you once" in home_text(bot, ALICE)
    assert "Nobody here" in home_text(bot, ALICE)
    assert f"<@{ALICE}> さん: あなたから 1 回、相手から 1 回" in home_text(bot, BOB)


async def test_thank_someone_modal_records_once_and_shows_errors_in_the_modal(bot: Bot) -> None:
    base = await seen_homes(bot, ALICE, BOB, CAROL)
    await bot.sender.interaction(action(ALICE, "home_thank", container={"type": "view"}))
    [opened] = await bot.fake.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == "thanks_modal"

    nobody = await bot.sender.interaction(submission(ALICE, "VMODAL1", []))
    assert nobody.json() == {
        "response_action": "errors",
        "errors": {"helpers": "Choose at least one person who helped you."},
    }
    only_me = await bot.sender.interaction(submission(ALICE, "VMODAL1", [ALICE]))
    assert "yourself" in only_me.json()["errors"]["helpers"]
    a_bot = await bot.sender.interaction(submission(ALICE, "VMODAL1", [HELPER_BOT]))
    assert "Bots and apps" in a_bot.json()["errors"]["helpers"]
    assert await bot.events() == []

    done = await bot.sender.interaction(submission(ALICE, "VMODAL1", [BOB, CAROL], "onboarding"))
    assert done.json()["response_action"] == "update"
    assert f"<@{BOB}> and <@{CAROL}> helped you" in json.dumps(done.json()["view"])
    again = await bot.sender.interaction(submission(ALICE, "VMODAL1", [BOB, CAROL], "onboarding"))
    assert again.json()["response_action"] == "update"
    events = await bot.events()
    assert [(e.giver_id, e.receiver_id, e.source, e.note) for e in events] == [
        (BOB, ALICE, "modal", "onboarding"),
        (CAROL, ALICE, "modal", "onboarding"),
    ]
    await bot.fake.wait_for("views.publish", base + 3)
    assert {ALICE, BOB, CAROL} <= set(bot.fake.home_tabs)


async def test_nudges_toggle_sets_the_state_its_button_carries(bot: Bot) -> None:
    await bot.sender.interaction(
        action(ALICE, "home_nudges_toggle", "off", container={"type": "view"})
    )
    await bot.fake.wait_for("views.publish")
    assert (await bot.store.preferences.user(TEAM, ALICE)).nudges is False
    assert "Nudges are *off*" in home_text(bot, ALICE)
    # a double click sends "off" again: still off, not flipped back
    await bot.sender.interaction(
        action(ALICE, "home_nudges_toggle", "off", container={"type": "view"})
    )
    await bot.fake.wait_for("views.publish", 2)
    assert (await bot.store.preferences.user(TEAM, ALICE)).nudges is False
    await bot.sender.interaction(
        action(ALICE, "home_nudges_toggle", "on", container={"type": "view"})
    )
    await bot.fake.wait_for("views.publish", 3)
    assert (await bot.store.preferences.user(TEAM, ALICE)).nudges is True


async def giveback(bot: Bot, text: str, user: str = ALICE) -> dict[str, Any]:
    reply = await bot.sender.command(
        "/giveback", text, user_id=user, response_url=bot.fake.response_url()
    )
    assert reply.status == 200
    body: dict[str, Any] = reply.json()
    return body


async def test_network_command_shows_ties_and_thank_back_privately(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for the review")
    await bot.thanks(f"<@{ALICE}> for the deploy", user_id=BOB)
    await bot.thanks(f"<@{CAROL}> for lunch")
    body = await giveback(bot, "network")
    assert body["response_type"] == "ephemeral"
    text = json.dumps(body["blocks"])
    assert f"<@{BOB}>: you helped once, they helped you once" in text
    assert f"<@{CAROL}> helped you once" in text


async def test_top_ranks_breadth_and_people_can_hide(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for it", user_id=ALICE)
    await bot.thanks(f"<@{BOB}> for it", user_id=CAROL)
    await bot.thanks(f"<@{CAROL}> for it", user_id=ALICE)
    await giveback(bot, "top week")
    calls = await bot.fake.wait_for("response_url", 4)  # the 3 announcements, in any order
    [answer] = [c for c in calls if c.args.get("response_type") != "in_channel"]
    text = json.dumps(answer.args["blocks"])
    assert f"1. <@{BOB}> helped 2 colleagues" in text
    assert f"2. <@{CAROL}> helped 1 colleague" in text
    assert ALICE not in text  # only givers are ranked: nobody is listed for taking

    hidden = await giveback(bot, "top hide", user=BOB)
    assert "ランキングにあなたのお名前は表示されません" in hidden["text"]  # Bob reads Japanese
    await giveback(bot, "top")
    calls = await bot.fake.wait_for("response_url", 5)
    text = json.dumps(calls[-1].args["blocks"])
    assert BOB not in text and f"1. <@{CAROL}>" in text

    unknown = await giveback(bot, "top yesterday")
    assert "I don't know `yesterday`" in unknown["text"]


async def test_the_workspace_can_turn_the_leaderboard_off(bot: Bot) -> None:
    await bot.store.preferences.save_workspace(
        TEAM, WorkspaceSettings(leaderboard=False), now=bot.clock()
    )
    body = await giveback(bot, "top all")
    assert body["text"] == "The leaderboard is turned off in this workspace."
    assert "blocks" not in body


async def test_forget_me_asks_first_then_anonymises_and_keeps_counts(bot: Bot) -> None:
    base = await seen_homes(bot, ALICE, BOB, CAROL)
    await bot.thanks(f"<@{BOB}> for fixing my laptop")
    await bot.thanks(f"<@{CAROL}> for the review", user_id=BOB)
    await bot.fake.wait_for("views.publish", base + 4)  # both thanks are done with, Homes too
    await bot.store.preferences.save_user(
        TEAM, ALICE, UserPreferences(nudges=False), now=bot.clock()
    )

    usage = await giveback(bot, "forget")
    assert "/giveback forget me" in usage["text"]
    confirm = await giveback(bot, "forget me")
    buttons = confirm["blocks"][1]["elements"]
    assert [b["action_id"] for b in buttons] == ["forget_confirm", "forget_cancel"]
    assert len(await bot.events()) == 2  # nothing happens before the click

    response_url = bot.fake.response_url()
    await bot.sender.interaction(action(ALICE, "forget_cancel", "me", response_url=response_url))
    await bot.fake.wait_for("response_url", 3)
    assert "Nothing was changed" in bot.fake.calls_to("response_url")[-1].args["text"]

    await bot.sender.interaction(action(ALICE, "forget_confirm", "me", response_url=response_url))
    await bot.fake.wait_for("response_url", 4)
    assert "no longer knows who you were" in bot.fake.calls_to("response_url")[-1].args["text"]
    events = await bot.events()
    assert ALICE not in repr(events) and "laptop" not in repr(events)
    assert events[0].receiver_id.startswith("anon-") and events[0].giver_id == BOB
    bob = await bot.store.events.ledger(
        team_id=TEAM, user_id=BOB, since=bot.clock().replace(year=2000)
    )
    assert (bob.given_total, bob.received_total) == (1, 1)
    assert await bot.store.preferences.user(TEAM, ALICE) == UserPreferences()
    # Alice's Home is republished, empty, and her profile was not cached again afterwards
    await bot.fake.wait_for(
        "views.publish", base + 5
    )  # 2 per thanks, then Alice's after forgetting
    assert "Nothing recorded yet" in home_text(bot, ALICE)
    assert await bot.store.profiles.get(team_id=TEAM, user_id=ALICE) is None


async def test_home_lists_open_asks_from_people_who_helped_first(bot: Bot) -> None:
    await bot.thanks(f"<@{CAROL}> for the review", user_id=ALICE)  # Carol helped Alice
    for asker, text in ((BOB, "a hand moving desks"), (CAROL, "eyes on my design doc")):
        reply = await bot.sender.command(
            "/ask", text, user_id=asker, response_url=bot.fake.response_url()
        )
        assert reply.status == 200
    await open_home(bot, ALICE)
    home = bot.fake.home_tabs[ALICE]
    shown = home_text(bot, ALICE)
    assert shown.index("eyes on my design doc") < shown.index("a hand moving desks")
    offers = [
        element
        for block in home["blocks"]
        if block["type"] in ("actions", "section")
        for element in block.get("elements", [block.get("accessory")])
        if element and element.get("action_id") == "ask_offer"
    ]
    assert len(offers) == 2
    # Carol does not see her own ask as something to help with.
    await open_home(bot, CAROL)
    assert "eyes on my design doc" not in home_text(bot, CAROL)


async def test_homes_never_opened_are_not_republished(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for the review")
    await bot.fake.wait_for("response_url")
    assert bot.fake.calls_to("views.publish") == []  # nobody has opened the Home tab yet
    await open_home(bot, BOB)
    await bot.thanks(f"<@{BOB}> for the deploy")
    published = await bot.fake.wait_for("views.publish", 2)
    assert [c.args["user_id"] for c in published] == [BOB, BOB]  # Alice never opened hers
