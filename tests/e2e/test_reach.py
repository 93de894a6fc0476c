"""Every thanks reaches the person thanked: a DM with the note wherever the channel does not
show it, two lines about giveback the first time, and "Thanks you received" on Home."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.devtools.fakeslack import Call
from bot.devtools.payloads import global_shortcut, view_submission
from tests.conftest import ALICE, BOB, CAROL, Bot
from tests.e2e.test_detect import offer_for
from tests.e2e.test_insights import action, home_text, open_home
from tests.support.favours import configure, posts_to, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

INTRO_EN, INTRO_JA = "New to giveback?", "giveback について"


async def open_form(bot: Bot, user: str = ALICE) -> dict[str, Any]:
    """The "Thank someone" form, opened from the global shortcut; the view as Slack holds it."""
    before = len(bot.fake.calls_to("views.open"))
    reply = await bot.sender.interaction(global_shortcut("thanks_global", user_id=user))
    assert (reply.status, reply.text) == (200, "")
    opened = await bot.fake.wait_for("views.open", before + 1)
    assert opened[-1].result is not None
    view: dict[str, Any] = opened[-1].result["view"]
    return view


async def submit_form(
    bot: Bot, view: dict[str, Any], helpers: list[str], note: str, user: str = ALICE
) -> dict[str, Any]:
    values = {
        "helpers": {"helpers": {"type": "multi_users_select", "selected_users": helpers}},
        "note": {"note": {"type": "plain_text_input", "value": note}},
    }
    reply = await bot.sender.interaction(view_submission(view, values, user_id=user))
    assert reply.status == 200
    body: dict[str, Any] = reply.json()
    return body


def dm_text(call: Call) -> str:
    return json.dumps(call.args.get("blocks") or call.args["text"], ensure_ascii=False)


async def test_the_home_form_reaches_each_person_thanked_by_dm_in_their_language(bot: Bot) -> None:
    done = await submit_form(bot, await open_form(bot), [BOB, CAROL], "the release checklist")
    assert done["response_action"] == "update"
    assert "I'm letting them know" in json.dumps(done["view"])
    await bot.fake.wait_for("chat.postMessage", 2)
    [to_bob], [to_carol] = posts_to(bot, BOB), posts_to(bot, CAROL)
    # Bob's Slack is in Japanese, Carol's in English; both get Alice's words as she wrote them.
    assert f"<@{ALICE}> さんからお礼が届きました: the release checklist" in dm_text(to_bob)
    assert f"<@{ALICE}> thanked you: the release checklist" in dm_text(to_carol)
    # Their first thanks: two lines on what giveback is and where to see it.
    assert INTRO_JA in dm_text(to_bob) and "ホーム" in dm_text(to_bob)
    assert INTRO_EN in dm_text(to_carol) and "*Home* tab" in dm_text(to_carol)
    assert posts_to(bot, "C0001") == []  # nobody else saw it

    await submit_form(bot, await open_form(bot, BOB), [CAROL], "lunch", user=BOB)
    await bot.fake.wait_for("chat.postMessage", 3)
    second = posts_to(bot, CAROL)[-1]
    assert f"<@{BOB}> thanked you: lunch" in dm_text(second) and INTRO_EN not in dm_text(second)


async def test_private_mode_dms_the_note_and_introduces_giveback_once(bot: Bot) -> None:
    await configure(bot, announce="private")
    await bot.thanks(f"<@{CAROL}> for the review")
    await bot.thanks(f"<@{CAROL}> for the deploy", user_id=BOB)
    await bot.fake.wait_for("chat.postMessage", 2)
    first, second = posts_to(bot, CAROL)
    assert "thanked you: the review" in dm_text(first) and INTRO_EN in dm_text(first)
    assert "thanked you: the deploy" in dm_text(second) and INTRO_EN not in dm_text(second)


async def test_a_thanks_typed_in_a_direct_message_reaches_the_helper(bot: Bot) -> None:
    """In a DM (perhaps Alice's with the bot) Bob would never see an in-channel reply."""
    await bot.thanks(f"<@{CAROL}> for the pairing", channel_id="D0000042")
    [confirmation] = await bot.fake.wait_for("response_url")
    assert confirmation.args["response_type"] == "ephemeral"
    await bot.fake.wait_for("chat.postMessage")
    [dm] = posts_to(bot, CAROL)
    assert "thanked you: the pairing" in dm_text(dm)


async def test_a_detected_thanks_logged_privately_reaches_the_helper(bot: Bot) -> None:
    offer = await offer_for(bot, f"thanks <@{CAROL}> for unblocking the build!")
    value = offer["blocks"][1]["elements"][0]["value"]
    await bot.sender.interaction(
        action(ALICE, "detect_log", value, response_url=bot.fake.response_url())
    )
    await bot.fake.wait_for("chat.postMessage")
    [dm] = posts_to(bot, CAROL)
    assert f"<@{ALICE}> thanked you:" in dm_text(dm) and "unblocking the build" in dm_text(dm)


async def test_an_announcement_slack_refused_reaches_the_helper_with_the_note(bot: Bot) -> None:
    bot.fake.fail("response_url", status=404, times=5)
    bot.fake.fail("chat.postMessage", error="not_in_channel")
    await bot.thanks(f"<@{CAROL}> for the review")
    await bot.fake.wait_for("chat.postMessage", 2)  # the refused post, then the DM
    [dm] = posts_to(bot, CAROL)
    assert "thanked you: the review" in dm_text(dm) and INTRO_EN in dm_text(dm)


async def test_home_shows_the_thanks_you_received_newest_first(bot: Bot) -> None:
    await bot.thanks(f"<@{CAROL}> for the review of the billing fix")
    bot.clock.advance(timedelta(minutes=1))
    await bot.thanks(f"<@{CAROL}> thanks for the deploy at midnight", user_id=BOB)
    await settle(bot)
    await open_home(bot, CAROL)
    home = home_text(bot, CAROL)
    assert "*Thanks you received*" in home
    newer = f"• <@{BOB}> · Nov 23: the deploy at midnight"  # "thanks for" is dropped
    older = f"• <@{ALICE}> · Nov 23: the review of the billing fix"
    assert newer in home and older in home and home.index(newer) < home.index(older)

    await open_home(bot, ALICE)
    assert "None yet. When colleagues thank you" in home_text(bot, ALICE)
