"""Thanks by reaction and by the "Thank the author" shortcut; announcement modes; the daily cap."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.devtools.payloads import message_action, reaction, view_submission
from bot.domain.records import MessageRef
from tests.conftest import ALICE, BOB, CAROL, HELPER_BOT, TEAM, Bot
from tests.support.favours import configure, posts_to, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

TS = "1700000000.000100"


def added(
    emoji: str = "raised_hands", *, by: str = ALICE, on: str | None = CAROL, ts: str = TS
) -> dict:
    return reaction("reaction_added", user_id=by, emoji=emoji, item_user=on, ts=ts)


def removed(emoji: str = "raised_hands", *, by: str = ALICE, on: str | None = CAROL) -> dict:
    return reaction("reaction_removed", user_id=by, emoji=emoji, item_user=on, ts=TS)


async def test_a_thanks_reaction_records_before_the_ack_and_replies_in_thread(bot: Bot) -> None:
    reply = await bot.sender.event(added("pray::skin-tone-3"))
    assert reply.status == 200
    [event] = await bot.events()  # stored before the 200
    assert (event.giver_id, event.receiver_id, event.source) == (CAROL, ALICE, "reaction")
    assert event.key == f"react:C0001:{TS}:{ALICE}:{CAROL}"  # the message and the person
    await bot.fake.wait_for("chat.postMessage")
    [post] = posts_to(bot, "C0001")
    assert post.args["thread_ts"] == TS and "reply_broadcast" not in post.args  # calm
    assert f"<@{CAROL}>" in post.args["text"] and "alice thanked" in post.args["text"]


async def test_a_redelivered_or_repeated_reaction_counts_once(bot: Bot) -> None:
    await bot.sender.event(added(), event_id="Ev1")
    await bot.sender.event(added(), event_id="Ev1", retry_num=1)
    await bot.sender.event(added(), event_id="Ev2")  # Slack sent it again under a new id
    assert len(await bot.events()) == 1
    await bot.fake.wait_for("chat.postMessage")
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_removing_the_reaction_within_a_day_removes_the_thanks(bot: Bot) -> None:
    await bot.sender.event(added())
    bot.clock.advance(timedelta(hours=23))
    assert (await bot.sender.event(removed())).status == 200
    assert await bot.events() == []


async def test_removing_it_after_a_day_keeps_the_thanks(bot: Bot) -> None:
    await bot.sender.event(added())
    bot.clock.advance(timedelta(hours=25))
    await bot.sender.event(removed())
    assert len(await bot.events()) == 1


async def test_removing_another_emoji_or_someone_elses_reaction_keeps_it(bot: Bot) -> None:
    await bot.sender.event(added())
    await bot.sender.event(removed("pray"))
    await bot.sender.event(removed(by=BOB))
    assert len(await bot.events()) == 1


async def test_reactions_that_do_not_count(bot: Bot) -> None:
    await bot.sender.event(added("thumbsup"))  # not a thanks emoji
    await bot.sender.event(added(on=ALICE))  # her own message
    await bot.sender.event(added(on=HELPER_BOT))  # a bot's message
    await bot.sender.event(added(on=None))  # no author (e.g. a file comment)
    await bot.sender.event(added(on="UBOT"))  # giveback's own message
    assert await bot.events() == []


async def test_the_emoji_list_is_configurable(bot: Bot) -> None:
    await configure(bot, reaction_emoji=("tada",))
    await bot.sender.event(added("raised_hands"))
    await bot.sender.event(added("tada"))
    [event] = await bot.events()
    assert await bot.store.rollups.thankers(MessageRef(TEAM, "C0001", TS)) != []
    assert event.source == "reaction"


async def test_private_mode_tells_only_the_people_involved(bot: Bot) -> None:
    await configure(bot, announce="private")
    await bot.sender.event(added())
    [ephemeral] = await bot.fake.wait_for("chat.postEphemeral")
    assert ephemeral.args["user"] == ALICE and f"<@{CAROL}>" in ephemeral.args["text"]
    [dm] = await bot.fake.wait_for("chat.postMessage")
    assert dm.args["channel"] == CAROL and f"<@{ALICE}> thanked you" in dm.args["text"]
    assert posts_to(bot, "C0001") == []


async def test_beyond_the_daily_cap_thanks_are_recorded_but_not_announced(bot: Bot) -> None:
    for n in range(4):
        await bot.sender.event(added(ts=f"1700000000.00010{n}"))
    assert [e.counted for e in await bot.events()] == [True, True, True, False]
    await bot.fake.wait_for("chat.postMessage", count=3)
    ledger = await bot.store.events.ledger(
        team_id="T0001", user_id=CAROL, since=bot.clock() - timedelta(days=90)
    )
    assert ledger.given_total == 3
    await settle(bot)
    # Each reply is posted after its reaction's ack, so they may arrive in any order.
    replies = sorted(c.args["thread_ts"] for c in posts_to(bot, "C0001"))
    assert replies == [f"1700000000.00010{n}" for n in range(3)]  # not the fourth message


async def test_thread_mode_keeps_mentions_in_the_thread(bot: Bot) -> None:
    await configure(bot, announce="thread")
    mention = {
        "type": "app_mention",
        "user": ALICE,
        "text": f"<@UBOT> thanks <@{BOB}> for the pairing",
        "ts": "1700000001.000200",
        "thread_ts": TS,
        "channel": "C0001",
    }
    await bot.sender.event(mention)
    await bot.fake.wait_for("chat.postMessage")
    [post] = posts_to(bot, "C0001")
    assert post.args["thread_ts"] == TS and "reply_broadcast" not in post.args


async def test_private_mode_for_slash_thanks(bot: Bot) -> None:
    await configure(bot, announce="private")
    await bot.thanks(f"<@{CAROL}> for the review")
    [confirmation] = await bot.fake.wait_for("response_url")
    assert confirmation.args["response_type"] == "ephemeral"
    [dm] = await bot.fake.wait_for("chat.postMessage")
    assert dm.args["channel"] == CAROL and "the review" in dm.args["text"]


# ---- the message shortcut ----------------------------------------------------------------------


async def open_shortcut(
    bot: Bot, author: str | None = CAROL, by: str = ALICE, **extra: str
) -> dict:
    message = {"ts": TS, "text": "here is how to fix it", **extra}
    if author:
        message["user"] = author
    before = len(bot.fake.calls_to("views.open"))
    reply = await bot.sender.interaction(message_action("thanks_shortcut", message, user_id=by))
    assert reply.status == 200
    opened = await bot.fake.wait_for("views.open", count=before + 1)
    return opened[-1].args["view"]


def thanks_values(helper: str | None, note: str | None) -> dict:
    return {
        "helper": {"helper": {"type": "users_select", "selected_user": helper}},
        "note": {"note": {"type": "plain_text_input", "value": note}},
    }


async def test_shortcut_opens_a_prefilled_modal_and_records_once(bot: Bot) -> None:
    view = await open_shortcut(bot, thread_ts="1699999999.000001")
    about, who, note = view["blocks"]
    assert who["element"]["initial_user"] == CAROL
    # The note starts empty, for the person's own words; the link stays above as context.
    assert "initial_value" not in note["element"]
    assert "https://fake.slack.com/archives/C0001/p1700000000000100" in json.dumps(about)

    payload = view_submission(view, thanks_values(CAROL, "the fix"), user_id=ALICE)
    first = await bot.sender.interaction(payload)
    second = await bot.sender.interaction(
        view_submission(view, thanks_values(CAROL, "the fix"), user_id=ALICE)
    )
    assert (first.status, first.text, second.text) == (200, "", "")
    [event] = await bot.events()
    assert (event.giver_id, event.receiver_id, event.source, event.note) == (
        CAROL,
        ALICE,
        "shortcut",
        "the fix",
    )
    await bot.fake.wait_for("chat.postMessage")
    [post] = posts_to(bot, "C0001")
    assert post.args["thread_ts"] == "1699999999.000001"  # the message's thread, not a new one


async def test_shortcut_validation_errors_stay_in_the_modal(bot: Bot) -> None:
    view = await open_shortcut(
        bot, author=None, bot_id="B123"
    )  # a bot's message: nobody preselected
    assert "initial_user" not in view["blocks"][1]["element"]
    for helper, expected in [(None, "Pick the person"), (ALICE, "yourself"), (HELPER_BOT, "Bots")]:
        reply = await bot.sender.interaction(
            view_submission(view, thanks_values(helper, "x"), user_id=ALICE)
        )
        body = reply.json()
        assert body["response_action"] == "errors" and expected in body["errors"]["helper"]
    assert await bot.events() == []


async def test_shortcut_when_the_channel_refuses_falls_back_to_private(bot: Bot) -> None:
    view = await open_shortcut(bot)
    bot.fake.fail("chat.postMessage", error="not_in_channel")
    await bot.sender.interaction(
        view_submission(view, thanks_values(CAROL, "the fix"), user_id=ALICE)
    )
    [ephemeral] = await bot.fake.wait_for("chat.postEphemeral")
    assert ephemeral.args["user"] == ALICE
    dms = await bot.fake.wait_for("chat.postMessage", count=2)
    assert dms[-1].args["channel"] == CAROL and "the fix" in json.dumps(dms[-1].args)
