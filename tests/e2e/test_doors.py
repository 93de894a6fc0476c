"""Every door opens: the global shortcut, a bare /thanks, `@giveback help`, a typo, a message in
the bot's Messages tab, and giveback joining a channel."""

from __future__ import annotations

import json

import pytest

from bot.devtools.payloads import direct_message, global_shortcut, member_joined
from tests.conftest import ALICE, BOB, DAVE, Bot
from tests.e2e.test_channel_language import language
from tests.e2e.test_thanks import mention_event
from tests.support.favours import configure, posts_to, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def test_the_global_shortcut_opens_the_home_form(bot: Bot) -> None:
    payload = global_shortcut("thanks_global", user_id=ALICE, trigger_id="1.2.global")
    reply = await bot.sender.interaction(payload)
    assert (reply.status, reply.text) == (200, "")
    [opened] = await bot.fake.wait_for("views.open")
    assert opened.args["trigger_id"] == "1.2.global"
    assert opened.args["view"]["callback_id"] == "thanks_modal"


@pytest.mark.parametrize("text", ["", "   "])
async def test_a_bare_thanks_opens_the_same_form(bot: Bot, text: str) -> None:
    reply = await bot.sender.command("/thanks", text, user_id=BOB, trigger_id="3.4.bare")
    assert (reply.status, reply.text) == (200, "")
    [opened] = await bot.fake.wait_for("views.open")
    assert opened.args["trigger_id"] == "3.4.bare"
    view = opened.args["view"]
    assert view["callback_id"] == "thanks_modal" and view["title"]["text"] == "感謝を伝える"
    assert await bot.events() == []


async def test_mentioning_giveback_with_help_shows_the_help(bot: Bot) -> None:
    await bot.sender.event(mention_event("<@UBOT> help"))
    [help_reply] = await bot.fake.wait_for("chat.postEphemeral")
    assert help_reply.args["user"] == ALICE
    blocks = json.dumps(help_reply.args["blocks"])
    assert "What giveback does" in blocks and "/giveback help" in blocks
    assert await bot.events() == []


async def test_a_mention_slack_delivers_twice_shows_the_help_once(bot: Bot) -> None:
    mention = mention_event("<@UBOT> help")
    await bot.sender.event(mention, event_id="Ev0HELP")
    await bot.sender.event(mention, event_id="Ev0HELP", retry_num=1)  # Slack's retry
    await settle(bot)
    assert len(bot.fake.calls_to("chat.postEphemeral")) == 1


async def test_a_typo_gets_the_closest_subcommand_and_nonsense_the_whole_help(bot: Bot) -> None:
    reply = await bot.sender.command("/giveback", "hlep", user_id=ALICE)
    body = reply.json()
    assert body == {
        "response_type": "ephemeral",
        "text": "I don't know `hlep`. Did you mean `/giveback help`?",
    }
    assert (
        "`/giveback network`"
        in (await bot.sender.command("/giveback", "netwrok me", user_id=ALICE)).json()["text"]
    )
    assert (
        "`/giveback language`"
        in (await bot.sender.command("/giveback", "langauge", user_id=ALICE)).json()["text"]
    )
    nonsense = (await bot.sender.command("/giveback", "xyzzy", user_id=ALICE)).json()
    assert "I don't know `xyzzy`" in nonsense["blocks"][0]["text"]["text"]
    assert "What giveback does" in json.dumps(nonsense["blocks"])


async def test_a_message_to_the_bot_gets_a_short_pointer_a_few_times_an_hour(bot: Bot) -> None:
    for n in range(5):
        assert (await bot.sender.event(direct_message(ALICE, f"hello? {n}"))).status == 200
    await settle(bot)
    answers = bot.fake.calls_to("chat.postMessage")
    assert len(answers) == 3 and {a.args["channel"] for a in answers} == {"D0000001"}
    assert "`/thanks @name for …`" in answers[0].args["text"]
    assert "*Home* tab" in answers[0].args["text"]
    # Bob reads Japanese; the bot's own messages in a DM are not answered.
    await bot.sender.event(direct_message(BOB, "こんにちは", channel_id="D0000002"))
    await bot.sender.event({**direct_message("UBOT", "a nudge"), "bot_id": "B0001"})
    await settle(bot)
    [to_bob] = posts_to(bot, "D0000002")
    assert "ホーム" in to_bob.args["text"]
    assert len(bot.fake.calls_to("chat.postMessage")) == 4


async def test_a_message_slack_delivers_twice_is_answered_once(bot: Bot) -> None:
    message = direct_message(ALICE, "hello?")
    assert (await bot.sender.event(message, event_id="Ev0DM")).status == 200
    # Slack's retry: the same event, the same id, after the first answer seemed too slow.
    assert (await bot.sender.event(message, event_id="Ev0DM", retry_num=1)).status == 200
    await settle(bot)
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_invited_to_a_channel_giveback_introduces_itself_once(bot: Bot) -> None:
    assert (await bot.sender.event(member_joined("UBOT", inviter=ALICE))).status == 200
    await bot.sender.event(member_joined("UBOT", inviter=ALICE))  # invited again later
    await bot.sender.event(member_joined(BOB))  # someone else joining: nothing to say
    await settle(bot)
    [intro] = posts_to(bot, "C0001")
    text = json.dumps(intro.args["blocks"], ensure_ascii=False)
    assert "Hi, I'm giveback" in text and ":raised_hands: :pray: :heart_hands:" in text
    assert "/ask" in text and len(intro.args["text"]) < 200


async def test_the_intro_speaks_the_channels_language_and_names_its_emoji(bot: Bot) -> None:
    await configure(bot, reaction_emoji=("tada",))
    await language(bot, "ja", user=DAVE, channel="C0002")
    await bot.sender.event(member_joined("UBOT", channel_id="C0002"))
    await settle(bot)
    [intro] = posts_to(bot, "C0002")
    text = json.dumps(intro.args["blocks"], ensure_ascii=False)
    assert "giveback です" in text and ":tada: でリアクション" in text
