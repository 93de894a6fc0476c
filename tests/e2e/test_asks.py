"""/ask end to end: the give-first moment, posting, "Post it now", offers that post, strict
policy and urgent asks, the board.

Gratitude is never a debt: a person who thanked many colleagues asks like anyone else; only
asking much more than giving brings the give-first moment, and it shows asks to help with,
never a number or a list of people "owed".
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from bot.domain.favours import HELD, OPEN, Ask
from tests.conftest import ALICE, BOB, CAROL, DAVE, HELPER_BOT, TEAM, Bot
from tests.support.asks import words_shown
from tests.support.favours import (
    ask,
    buttons,
    configure,
    posts_to,
    press,
    replies_to,
    seed,
)
from tests.support.nudges import asked

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

BOBS_ASK = "who can review my deploy script?"


async def make_asker(bot: Bot) -> None:
    """Alice asked three times lately, each resolved by Carol, and lent nobody a hand: six
    favours asked, none given. She also thanked Dave twice: five help events, not new."""
    await asked(bot.store, ALICE, 3, at=bot.clock(), helper=CAROL)
    await seed(bot, DAVE, ALICE, 2)


async def bobs_open_ask(bot: Bot) -> int:
    await ask(bot, BOBS_ASK, BOB)
    await bot.fake.wait_for("chat.postMessage")
    [bobs] = await bot.store.asks.open_asks(TEAM)
    return bobs.id


async def test_asking_much_more_than_giving_shows_asks_to_help_with_and_nothing_else(
    bot: Bot,
) -> None:
    bobs = await bobs_open_ask(bot)
    await make_asker(bot)

    body, _ = await ask(bot, f"<@{DAVE}> can you look at the flaky test?", ALICE)

    assert body["response_type"] == "ephemeral"
    held = await held_ask(bot)
    assert held.asker_id == ALICE and held.asked == (DAVE,)
    assert BOBS_ASK in json.dumps(body["blocks"])
    assert buttons(body["blocks"]) == [
        ("ask_offer_and_post", f"{bobs}:{held.id}"),  # one offer posts hers
        ("ask_anyway", str(held.id)),  # "Post it now", one press away
    ]
    assert "Post it now" in json.dumps(body["blocks"])
    # No numbers, no people "owed": the asks themselves are all it shows.
    shown = words_shown(body["text"], body["blocks"], quoted=[BOBS_ASK, held.text])
    assert not re.search(r"\d", shown), shown
    assert f"<@{CAROL}>" not in json.dumps(body["blocks"])  # who helped her is not listed
    assert len(bot.fake.calls_to("chat.postMessage")) == 1  # only Bob's ask
    assert posts_to(bot, DAVE) == []  # Dave is not bothered by a held ask


@pytest.mark.parametrize("policy", ["soft", "strict"])
async def test_one_offer_posts_the_held_ask_at_once(bot: Bot, policy: str) -> None:
    await configure(bot, policy=policy)
    bobs = await bobs_open_ask(bot)
    await make_asker(bot)
    await ask(bot, "need a hand with the release notes", ALICE)
    held = await held_ask(bot)
    before = await bot.store.activity.balance(TEAM, ALICE, since=bot.clock().replace(year=2000))

    _, url = await press(bot, "ask_offer_and_post", f"{bobs}:{held.id}", ALICE)
    [reply] = await replies_to(bot, url)

    assert reply.args["replace_original"] is True
    assert "Your ask is posted" in reply.args["text"]
    assert f"I let <@{BOB}> know you can help" in reply.args["text"]
    bob_ask = await bot.store.asks.get(team_id=TEAM, ask_id=bobs)
    assert bob_ask is not None and bob_ask.offers == (ALICE,)
    assert (await bot.store.asks.get(team_id=TEAM, ask_id=held.id)).status == OPEN  # type: ignore[union-attr]
    assert len(posts_to(bot, "C0001")) == 2  # Bob's ask, then Alice's
    assert any(f"<@{ALICE}> さんが" in c.args["text"] for c in posts_to(bot, BOB))  # Japanese
    after = await bot.store.activity.balance(TEAM, ALICE, since=bot.clock().replace(year=2000))
    assert after.giving == before.giving + 1  # "I can help" counts the moment it is pressed
    assert after.asking == before.asking + 1  # and her ask, now posted


async def test_an_offer_on_an_ask_closed_meanwhile_keeps_the_held_ask_ready(bot: Bot) -> None:
    bobs = await bobs_open_ask(bot)
    await make_asker(bot)
    await ask(bot, "need a hand with the release notes", ALICE)
    held = await held_ask(bot)
    await bot.store.asks.withdraw(team_id=TEAM, ask_id=bobs, now=bot.clock())

    _, url = await press(bot, "ask_offer_and_post", f"{bobs}:{held.id}", ALICE)
    [reply] = await replies_to(bot, url)
    assert reply.args["replace_original"] is False and "withdrawn" in reply.args["text"]
    assert (await bot.store.asks.get(team_id=TEAM, ask_id=held.id)).status == HELD  # type: ignore[union-attr]


async def test_i_can_help_after_post_it_now_still_offers(bot: Bot) -> None:
    bobs = await bobs_open_ask(bot)
    await make_asker(bot)
    await ask(bot, "need a hand with the release notes", ALICE)
    held = await held_ask(bot)
    _, url = await press(bot, "ask_anyway", held.id, ALICE)
    await replies_to(bot, url)

    _, url = await press(bot, "ask_offer_and_post", f"{bobs}:{held.id}", ALICE)  # a stale prompt
    [reply] = await replies_to(bot, url)
    assert f"I let <@{BOB}> know you can help" in reply.args["text"]
    assert (await bot.store.asks.get(team_id=TEAM, ask_id=bobs)).offers == (ALICE,)  # type: ignore[union-attr]
    assert len(posts_to(bot, "C0001")) == 2  # hers, once


async def test_someone_who_thanked_many_colleagues_and_asked_nothing_asks_at_once(
    bot: Bot,
) -> None:
    await bobs_open_ask(bot)
    for i in range(8):  # eight thanks on her first morning: gratitude, not taking
        helper = (BOB, CAROL, DAVE)[i % 3]
        status, _, _ = await bot.thanks(f"<@{helper}> for the help #{i}", ALICE)
        assert status == 200
    assert len([e for e in await bot.events() if e.receiver_id == ALICE]) == 8

    body, url = await ask(bot, "can someone pair on the billing bug?", ALICE)

    assert body is None  # posted at once: a plain ack
    assert [a.status for a in await _all_asks(bot)] == [OPEN, OPEN]
    [confirmation] = await replies_to(bot, url)
    assert "Your ask is posted" in confirmation.args["text"]


async def test_a_giver_asks_straight_away(bot: Bot) -> None:
    await seed(bot, ALICE, BOB, 4)
    await asked(bot.store, ALICE, 3, at=bot.clock(), helper=BOB)  # 6 asked, 4 given
    body, url = await ask(bot, f"<@{BOB}> <@{HELPER_BOT}> pairing on the migration?", ALICE)
    assert body is None  # plain ack
    post = (await bot.fake.wait_for("chat.postMessage", count=2))[0]
    assert post.args["channel"] == "C0001"
    assert "pairing on the migration?" in json.dumps(post.args["blocks"])
    ask_row = (await bot.store.asks.open_asks(TEAM))[0]
    assert ask_row.status == OPEN and ask_row.asked == (BOB,)
    assert {a for a, _ in buttons(post.args["blocks"])} == {
        "ask_offer",
        "ask_resolve",
        "ask_withdraw",
    }
    [dm] = posts_to(bot, BOB)
    assert [a for a, _ in buttons(dm.args["blocks"])] == ["ask_offer", "ask_decline"]
    [confirmation] = await replies_to(bot, url)
    assert "posted" in confirmation.args["text"] and "Bots and apps" in confirmation.args["text"]
    messages = await bot.store.ask_messages.of(team_id=TEAM, ask_id=ask_row.id)
    assert [(m.kind, m.lang) for m in messages] == [("channel", "en"), ("dm", "ja")]


async def test_a_newcomer_is_never_held_back(bot: Bot) -> None:
    await bobs_open_ask(bot)
    await asked(bot.store, CAROL, 4, at=bot.clock(), helper=DAVE)  # 8 asked, 4 help events
    body, _ = await ask(bot, "how do I get VPN access?", CAROL)
    assert body is None
    await bot.fake.wait_for("chat.postMessage", count=2)
    assert all(a.status == OPEN for a in await bot.store.asks.open_asks(TEAM))


async def test_nothing_to_help_with_means_nothing_to_wait_for(bot: Bot) -> None:
    await configure(bot, policy="strict")
    await make_asker(bot)  # no open asks by anyone else
    assert (await ask(bot, "anyone know the wifi password?", ALICE))[0] is None
    await bot.fake.wait_for("chat.postMessage")
    assert [a.asker_id for a in await bot.store.asks.open_asks(TEAM)] == [ALICE]


async def test_post_it_now_posts_once_even_when_pressed_twice(bot: Bot) -> None:
    await bobs_open_ask(bot)
    await make_asker(bot)
    await ask(bot, f"<@{DAVE}> need a hand with the release notes", ALICE)
    held = await held_ask(bot)

    (_, first), (_, second) = await asyncio.gather(
        press(bot, "ask_anyway", held.id, ALICE), press(bot, "ask_anyway", held.id, ALICE)
    )
    await replies_to(bot, first)
    await replies_to(bot, second)

    assert (await bot.store.asks.get(team_id=TEAM, ask_id=held.id)).status == OPEN  # type: ignore[union-attr]
    assert len(posts_to(bot, "C0001")) == 2 and len(posts_to(bot, DAVE)) == 1
    replaced = [c for c in bot.fake.calls_to("response_url") if c.args.get("replace_original")]
    assert len(replaced) == 2 and all("posted" in c.args["text"] for c in replaced)


async def test_strict_waits_for_an_offer_and_urgent_asks_go_at_once(bot: Bot) -> None:
    await configure(bot, policy="strict")
    bobs = await bobs_open_ask(bot)
    await make_asker(bot)
    body, _ = await ask(bot, "please review my PR", ALICE)
    held = await held_ask(bot)
    assert buttons(body["blocks"]) == [
        ("ask_offer_and_post", f"{bobs}:{held.id}"),
        ("ask_recheck", str(held.id)),
    ]
    assert "urgent:" in json.dumps(body["blocks"])  # how to mark an ask that can't wait

    # A crafted "Post it now" changes nothing: the policy is checked again on the server.
    _, url = await press(bot, "ask_anyway", held.id, ALICE)
    [still] = await replies_to(bot, url)
    assert "still ready to go" in json.dumps(still.args["blocks"])
    assert (await bot.store.asks.get(team_id=TEAM, ask_id=held.id)).status == HELD  # type: ignore[union-attr]

    body, _ = await ask(bot, "urgent: the payment page is down, who knows the PSP?", ALICE)
    assert body is None  # urgent: posted at once, strict or not
    await bot.fake.wait_for("chat.postMessage", count=2)
    [urgent] = [a for a in await bot.store.asks.open_asks(TEAM) if a.asker_id == ALICE]
    assert urgent.text.startswith("urgent:")


async def test_strict_check_again_posts_once_giving_catches_up(bot: Bot) -> None:
    await configure(bot, policy="strict")
    await bobs_open_ask(bot)
    await make_asker(bot)
    await ask(bot, "please review my PR", ALICE)
    held = await held_ask(bot)
    await seed(bot, ALICE, BOB, 4, days_ago=3)  # she helped Bob four times since: 6 vs 4
    _, url = await press(bot, "ask_recheck", held.id, ALICE)
    await replies_to(bot, url)
    assert (await bot.store.asks.get(team_id=TEAM, ask_id=held.id)).status == OPEN  # type: ignore[union-attr]


async def test_policy_off_never_holds(bot: Bot) -> None:
    await configure(bot, policy="off")
    await bobs_open_ask(bot)
    await make_asker(bot)
    assert (await ask(bot, "anyone free for lunch and learn?", ALICE))[0] is None
    await bot.fake.wait_for("chat.postMessage", count=2)


async def test_only_the_asker_can_post_their_held_ask(bot: Bot) -> None:
    bobs = await bobs_open_ask(bot)
    await make_asker(bot)
    await ask(bot, "help me", ALICE)
    held = await held_ask(bot)
    for action, value in (("ask_anyway", held.id), ("ask_offer_and_post", f"{bobs}:{held.id}")):
        _, url = await press(bot, action, value, CAROL)
        [reply] = await replies_to(bot, url)
        assert f"Only <@{ALICE}>" in reply.args["text"]
    assert len(posts_to(bot, "C0001")) == 1
    assert (await bot.store.asks.get(team_id=TEAM, ask_id=bobs)).offers == ()  # type: ignore[union-attr]


async def test_ask_without_text_explains(bot: Bot) -> None:
    body, _ = await ask(bot, f"<@{BOB}>", ALICE)
    assert "/ask @bob" in body["text"] and await _all_asks(bot) == []
    body, _ = await ask(bot, "urgent:", ALICE)
    assert "/ask @bob" in body["text"] and await _all_asks(bot) == []


async def test_asking_someone_busy_says_so_before_posting_and_suggests_others(bot: Bot) -> None:
    # Carol was thanked for build help; Bob already has three open asks waiting on him.
    await bot.thanks(f"<@{CAROL}> for fixing the build", user_id=DAVE)
    for text in ("one", "two", "three"):
        await ask(bot, f"<@{BOB}> {text}", DAVE)
    await bot.fake.wait_for("chat.postMessage", count=6)  # three posts, three DMs to Bob
    posts = len(bot.fake.calls_to("chat.postMessage"))
    body, _ = await ask(bot, f"<@{BOB}> can you help with the build?", ALICE)
    assert body["response_type"] == "ephemeral"  # said before the ask is posted
    assert f"<@{BOB}> already has several open asks" in body["text"]
    rendered = json.dumps(body["blocks"])
    held = next(a for a in await _all_asks(bot) if a.asker_id == ALICE)
    assert held.status == HELD and len(bot.fake.calls_to("chat.postMessage")) == posts
    assert ("ask_busy_swap", f"{held.id}:{CAROL}") in buttons(body["blocks"]) and CAROL in rendered
    _, url = await press(bot, "ask_busy_swap", f"{held.id}:{CAROL}", ALICE)
    await replies_to(bot, url)  # posted, naming Carol instead of Bob
    posted = await bot.store.asks.get(team_id="T0001", ask_id=held.id)
    assert posted is not None and posted.status == OPEN and posted.asked == (CAROL,)
    assert len(posts_to(bot, CAROL)) == 1


async def test_the_board_lists_open_asks_oldest_first_marking_my_helpers(bot: Bot) -> None:
    await seed(bot, CAROL, ALICE, 2)
    await ask(bot, "first: a review", BOB)
    await ask(bot, "second: a deploy", CAROL)
    await ask(bot, "mine", ALICE)
    await bot.fake.wait_for("chat.postMessage", count=3)
    body = (await bot.sender.command("/giveback", "asks", user_id=ALICE)).json()
    sections = [b for b in body["blocks"] if b["type"] == "section"]
    assert ["first" in json.dumps(sections[0]), "second" in json.dumps(sections[1])] == [True, True]
    assert "helped you twice" in json.dumps(sections[1])
    assert "helped you" not in json.dumps(sections[0])
    assert "accessory" not in sections[2]  # her own ask: no "I can help"
    assert body["text"] == "Open asks (3)"


async def test_the_board_when_empty(bot: Bot) -> None:
    body = (await bot.sender.command("/giveback", "asks", user_id=ALICE)).json()
    assert "No open asks" in json.dumps(body["blocks"])


async def test_japanese_asker_gets_the_give_first_moment_in_japanese(bot: Bot) -> None:
    await ask(bot, "デプロイ手順を見ていただけますか", CAROL)
    await bot.fake.wait_for("chat.postMessage")
    await asked(bot.store, BOB, 3, at=bot.clock(), helper=DAVE)
    await seed(bot, ALICE, BOB, 2)
    body, _ = await ask(bot, "レビューをお願いできますか", BOB)
    rendered = json.dumps(body["blocks"], ensure_ascii=False)
    assert "お願いを投稿する前に" in rendered and "手伝います" in rendered
    assert "今すぐ投稿する" in rendered
    shown = words_shown(body["text"], body["blocks"], quoted=["デプロイ手順を見ていただけますか"])
    assert not re.search(r"\d", shown.replace("レビューをお願いできますか", "")), shown


async def held_ask(bot: Bot) -> Ask:
    [held] = [a for a in await _all_asks(bot) if a.status == HELD]
    return held


async def _all_asks(bot: Bot) -> list:
    rows = await bot.store.db.fetchall("SELECT id FROM asks ORDER BY id")
    return [await bot.store.asks.get(team_id=TEAM, ask_id=r[0]) for r in rows]
