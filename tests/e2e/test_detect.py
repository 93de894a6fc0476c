"""Plain-words thanks in a channel: one ephemeral offer, stored only on the click."""

from __future__ import annotations

from typing import Any

from tests.conftest import ALICE, BOB, CAROL, HELPER_BOT, TEAM, Bot
from tests.e2e.test_insights import action, seen_homes


def message(text: str, user: str = ALICE, ts: str = "1700000100.000200", **extra: Any) -> dict:
    return {
        "type": "message",
        "channel": "C0001",
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


async def offer_for(bot: Bot, text: str, count: int = 1, **kwargs: Any) -> dict[str, Any]:
    await bot.sender.event(message(text, **kwargs))
    calls = await bot.fake.wait_for("chat.postEphemeral", count)
    return calls[-1].args


async def test_thanks_in_plain_words_gets_one_offer_and_nothing_is_stored(bot: Bot) -> None:
    event = message(f"thank you <@{BOB}> for the quick fix!")
    await bot.sender.event(event, event_id="EvTHANKS")
    [offer] = await bot.fake.wait_for("chat.postEphemeral")
    assert offer.args["user"] == ALICE and offer.args["channel"] == "C0001"
    assert offer.args["blocks"][1]["elements"][0]["text"]["text"] == "Log this as help from @bob"
    # Slack redelivers; the same message is offered once
    await bot.sender.event(event, event_id="EvTHANKS", retry_num=1)
    await bot.sender.event({**event}, event_id="EvOTHERID")
    # a later offerable message: once its offer is out, the retries before it were handled
    await offer_for(bot, f"thanks <@{CAROL}>", count=2, ts="1700000999.000100")
    offers = bot.fake.calls_to("chat.postEphemeral")
    assert [BOB in o.args["text"] for o in offers] == [True, False]
    assert await bot.events() == []


async def test_clicking_log_records_once_and_refreshes_homes(bot: Bot) -> None:
    base = await seen_homes(bot, ALICE, BOB, CAROL)
    offer = await offer_for(bot, f"ありがとうございます <@{BOB}> <@{CAROL}>、助かりました")
    value = offer["blocks"][1]["elements"][0]["value"]
    response_url = bot.fake.response_url()
    for _ in range(2):  # a double click
        await bot.sender.interaction(action(ALICE, "detect_log", value, response_url=response_url))
    await bot.fake.wait_for("response_url", 2)
    events = await bot.events()
    assert [(e.giver_id, e.receiver_id, e.source, e.channel_id) for e in events] == [
        (BOB, ALICE, "detected", "C0001"),
        (CAROL, ALICE, "detected", "C0001"),
    ]
    assert events[0].note == "ありがとうございます 、助かりました"
    replaced = bot.fake.calls_to("response_url")[0].args
    assert replaced["replace_original"] is True
    assert f"<@{BOB}> and <@{CAROL}> helped you" in replaced["text"]
    await bot.fake.wait_for("views.publish", base + 3)
    assert {ALICE, BOB, CAROL} <= set(bot.fake.home_tabs)


async def test_only_the_author_can_use_the_offer(bot: Bot) -> None:
    offer = await offer_for(bot, f"thanks <@{BOB}>")
    value = offer["blocks"][1]["elements"][0]["value"]
    await bot.sender.interaction(
        action(CAROL, "detect_log", value, response_url=bot.fake.response_url())
    )
    await bot.fake.wait_for("response_url")
    assert await bot.events() == []


async def test_opt_out_stops_offers_and_not_now_removes_the_offer(bot: Bot) -> None:
    await offer_for(bot, f"thanks <@{BOB}>")
    await bot.sender.interaction(
        action(ALICE, "detect_dismiss", "dismiss", response_url=bot.fake.response_url())
    )
    [dismissed] = await bot.fake.wait_for("response_url")
    assert dismissed.args["delete_original"] is True

    await bot.sender.interaction(
        action(ALICE, "detect_optout", "optout", response_url=bot.fake.response_url())
    )
    await bot.fake.wait_for("response_url", 2)
    assert (await bot.store.preferences.user(TEAM, ALICE)).detect_thanks is False
    await bot.sender.event(message(f"thanks again <@{BOB}>", ts="1700000200.000300"))
    # Bob's own thanks still get offers: the opt-out is per person
    await offer_for(bot, f"thanks <@{CAROL}>", count=2, user=BOB, ts="1700000300.000400")
    assert [c.args["user"] for c in bot.fake.calls_to("chat.postEphemeral")] == [ALICE, BOB]
    assert await bot.events() == []


async def test_no_offer_for_bots_edits_or_ordinary_messages(bot: Bot) -> None:
    await bot.sender.event(message(f"thanks <@{HELPER_BOT}>"))  # thanking a bot
    await bot.sender.event(message(f"thanks <@{BOB}>", bot_id="B99"))  # a bot's post
    await bot.sender.event(message(f"thanks <@{BOB}>", subtype="message_changed"))
    await bot.sender.event(message(f"<@{BOB}> can you look at this?"))
    await bot.sender.event(message(f"<@UBOT> thanks <@{BOB}>"))  # a command, handled elsewhere
    # a final message that is offered proves the ones before it were handled, not pending
    await offer_for(bot, f"thanks <@{CAROL}>", ts="1700000999.000100")
    [only] = bot.fake.calls_to("chat.postEphemeral")
    assert CAROL in only.args["text"]
