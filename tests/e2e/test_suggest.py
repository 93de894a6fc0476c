"""Who could help, end to end: an ask suggests the people thanked in public for that topic.

Thanks go in through signed /thanks commands (announced in the channel, so their notes feed
the index); asks through /ask. Private notes, busy people, people who opted out and the asker
are never suggested; "Mention in my ask" names the person in the ask and DMs it to them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.jobs.sweep import run_sweep
from bot.views import ids
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, Bot
from tests.support.favours import (
    ask,
    buttons,
    configure,
    only_ask,
    posts_to,
    press,
    replies_to,
)
from tests.support.home import home_text, open_home
from tests.support.nudges import make_env

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def thank(bot: Bot, thanker: str, helper: str, note: str, times: int = 1) -> None:
    for _ in range(times):
        status, _, _ = await bot.thanks(f"<@{helper}> {note}", user_id=thanker)
        assert status == 200


async def suggested(bot: Bot, url: str) -> list[str]:
    """The people the asker's reply suggests (by their "Mention in my ask" buttons)."""
    [reply] = await replies_to(bot, url)
    blocks = reply.args.get("blocks") or []
    return [
        value.split(":")[1] for action, value in buttons(blocks) if action == ids.SUGGEST_MENTION
    ]


async def test_an_english_ask_suggests_who_was_thanked_for_that(bot: Bot) -> None:
    await thank(bot, ALICE, CAROL, "for rotating the deploy keys", 2)
    await thank(bot, BOB, DAVE, "for the quarterly billing report")
    _, url = await ask(bot, "Who knows how to rotate the deploy keys?", BOB)
    assert await suggested(bot, url) == [CAROL]
    [reply] = await replies_to(bot, url)
    rendered = json.dumps(reply.args["blocks"], ensure_ascii=False)
    assert "rotating" not in rendered  # a suggestion never quotes a note


async def test_a_japanese_ask_suggests_who_was_thanked_in_japanese(bot: Bot) -> None:
    await thank(bot, BOB, DAVE, "本番環境のデプロイを手伝っていただきありがとうございました", 2)
    await thank(bot, BOB, CAROL, "請求書の処理を代わりにやってくださいました")
    _, url = await ask(
        bot, "本番環境へのデプロイで困っています。どなたか手伝っていただけませんか", ALICE
    )
    assert await suggested(bot, url) == [DAVE]


async def test_private_notes_busy_and_opted_out_people_are_never_suggested(bot: Bot) -> None:
    await configure(bot, busy_asks=1)
    await thank(bot, ALICE, CAROL, "for the kubernetes upgrade")
    await thank(bot, ALICE, DAVE, "for the kubernetes upgrade")
    await thank(bot, ALICE, BOB, "for the kubernetes upgrade")
    await ask(bot, f"<@{CAROL}> could you look at my laptop?", DAVE)  # Carol is now busy
    await bot.deps.set_preferences(TEAM, DAVE, suggestable=False)
    _, url = await ask(bot, "Anyone up for a kubernetes upgrade?", ALICE)
    assert await suggested(bot, url) == [BOB]  # not Carol (busy), Dave (opted out), Alice


async def test_a_note_announced_only_privately_feeds_no_suggestion(bot: Bot) -> None:
    await configure(bot, announce="private")
    await thank(bot, ALICE, CAROL, "for the salary negotiation advice", 2)
    _, url = await ask(bot, "Any advice on a salary negotiation?", BOB)
    assert await suggested(bot, url) == []


async def test_mention_in_my_ask_names_the_person_and_sends_it_to_them(bot: Bot) -> None:
    await thank(bot, ALICE, CAROL, "for rotating the deploy keys", 2)
    _, url = await ask(bot, "Who knows how to rotate the deploy keys?", BOB)
    assert await suggested(bot, url) == [CAROL]
    the_ask = await only_ask(bot)
    _, pressed = await press(bot, ids.SUGGEST_MENTION, f"{the_ask.id}:{CAROL}", BOB)
    [answer] = await replies_to(bot, pressed)
    assert f"<@{CAROL}>" in answer.args["text"]
    assert (await only_ask(bot)).asked == (CAROL,)
    [dm] = posts_to(bot, CAROL)
    assert "rotate the deploy keys" in json.dumps(dm.args["blocks"])
    _, again = await press(bot, ids.SUGGEST_MENTION, f"{the_ask.id}:{CAROL}", BOB)
    [answer] = await replies_to(bot, again)
    assert "すでに" in answer.args["text"]  # Bob reads Japanese
    _, other = await press(bot, ids.SUGGEST_MENTION, f"{the_ask.id}:{DAVE}", ALICE)
    [answer] = await replies_to(bot, other)
    assert "Only" in answer.args["text"] and len(posts_to(bot, DAVE)) == 0


async def test_giveback_shows_what_you_are_known_for(bot: Bot) -> None:
    await thank(bot, ALICE, CAROL, "for rotating the deploy keys", 2)
    await thank(bot, DAVE, CAROL, "for the deploy checklist")
    await thank(bot, BOB, CAROL, "for fixing the flaky test")
    reply = await bot.sender.command("/giveback", "", user_id=CAROL)
    rendered = json.dumps(reply.json()["blocks"], ensure_ascii=False)
    assert "Colleagues thank you most for:* deploy" in rendered
    assert "flaky" not in rendered  # thanked once for it: not yet a strength


async def test_home_shows_what_you_are_known_for_in_your_language(bot: Bot) -> None:
    await thank(bot, ALICE, BOB, "for the code review", 2)
    await thank(bot, CAROL, BOB, "コードレビューをしていただき助かりました", 2)
    await open_home(bot, BOB)  # Bob reads Japanese: the loanword, once for both languages
    known = home_text(bot, BOB).split("よく感謝していること:*", 1)[1].split('"', 1)[0]
    assert known.strip() == "コード、レビュー"  # not "review" as well
    await open_home(bot, ALICE)
    assert "thank you most for" not in home_text(bot, ALICE)  # nothing yet


async def test_an_unanswered_ask_resurfaces_to_who_was_thanked_for_it(bot: Bot) -> None:
    await thank(bot, DAVE, CAROL, "for rotating the deploy keys", 2)
    _, url = await ask(bot, "Who knows how to rotate the deploy keys?", ALICE)
    await replies_to(bot, url)
    env = make_env(bot.store, bot.fake, bot.clock)
    bot.clock.now = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # Thursday, Carol's morning
    report = await run_sweep(bot.deps, env.client, bot.clock())
    assert (CAROL, "resurface") in [(k.recipient_id, k.kind) for k in report.sent()]
    [dm] = [m for m in env.dms(CAROL) if "still waiting" in m["text"]]
    assert "colleagues have thanked you for" in dm["text"]  # she never helped Alice before
