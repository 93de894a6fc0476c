"""/ask end to end: the give-first check, posting, "Ask anyway", strict policy, the board."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.domain.favours import HELD, OPEN
from tests.conftest import ALICE, BOB, CAROL, DAVE, HELPER_BOT, Bot
from tests.support.favours import (
    ask,
    buttons,
    configure,
    only_ask,
    posts_to,
    press,
    replies_to,
    seed,
)

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def make_taker(bot: Bot) -> None:
    """Alice was helped 5 times and helped once: taken 4 >= threshold 3, not a newcomer."""
    await seed(bot, BOB, ALICE, 3)
    await seed(bot, CAROL, ALICE, 2)
    await seed(bot, ALICE, CAROL, 1)


async def test_a_taker_gets_the_give_first_reply_and_nothing_is_posted(bot: Bot) -> None:
    await ask(bot, "who can review my deploy script?", BOB)  # Bob's ask: a suggestion
    await bot.fake.wait_for("chat.postMessage")
    await make_taker(bot)

    body, _ = await ask(bot, f"<@{DAVE}> can you look at the flaky test?", ALICE)

    assert body["response_type"] == "ephemeral"
    rendered = json.dumps(body["blocks"], ensure_ascii=False)
    assert "you were helped *5×* and helped others *1×*" in rendered
    assert f"<@{BOB}>" in rendered  # helped Alice, never helped back
    assert "who can review my deploy script?" in rendered and "helped you 3" in rendered
    bob_ask = (await bot.store.asks.open_asks("T0001"))[0]
    held = next(a for a in await _all_asks(bot) if a.asker_id == ALICE)
    assert ("ask_offer", str(bob_ask.id)) in buttons(body["blocks"])
    assert ("ask_anyway", str(held.id)) in buttons(body["blocks"])
    assert held.status == HELD and held.asked == (DAVE,)
    assert len(bot.fake.calls_to("chat.postMessage")) == 1  # only Bob's ask
    assert posts_to(bot, DAVE) == []  # Dave is not bothered by a held ask


async def test_a_giver_asks_straight_away(bot: Bot) -> None:
    await seed(bot, ALICE, BOB, 4)
    await seed(bot, BOB, ALICE, 6)  # taken 2: under the threshold
    body, url = await ask(bot, f"<@{BOB}> <@{HELPER_BOT}> pairing on the migration?", ALICE)
    assert body is None  # plain ack
    post = (await bot.fake.wait_for("chat.postMessage", count=2))[0]
    assert post.args["channel"] == "C0001"
    assert "pairing on the migration?" in json.dumps(post.args["blocks"])
    ask_row = await only_ask(bot)
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
    messages = await bot.store.asks.messages(team_id="T0001", ask_id=ask_row.id)
    assert [(m.kind, m.lang) for m in messages] == [("channel", "en"), ("dm", "ja")]


async def test_a_newcomer_is_never_held_back(bot: Bot) -> None:
    await seed(bot, BOB, CAROL, 4)  # taken 4, but only 4 events in total
    body, _ = await ask(bot, "how do I get VPN access?", CAROL)
    assert body is None
    await bot.fake.wait_for("chat.postMessage")
    assert (await only_ask(bot)).status == OPEN


async def test_ask_anyway_posts_once_even_when_pressed_twice(bot: Bot) -> None:
    await make_taker(bot)
    body, _ = await ask(bot, f"<@{DAVE}> need a hand with the release notes", ALICE)
    held = await only_ask(bot)
    assert ("ask_anyway", str(held.id)) in buttons(body["blocks"])

    (_, first), (_, second) = await asyncio.gather(
        press(bot, "ask_anyway", held.id, ALICE), press(bot, "ask_anyway", held.id, ALICE)
    )
    await replies_to(bot, first)
    await replies_to(bot, second)

    assert (await only_ask(bot)).status == OPEN
    assert len(posts_to(bot, "C0001")) == 1 and len(posts_to(bot, DAVE)) == 1
    replaced = [c for c in bot.fake.calls_to("response_url") if c.args.get("replace_original")]
    assert len(replaced) == 2 and all("posted" in c.args["text"] for c in replaced)


async def test_strict_policy_blocks_until_the_balance_evens_out(bot: Bot) -> None:
    await configure(bot, policy="strict")
    await make_taker(bot)
    body, _ = await ask(bot, "please review my PR", ALICE)
    held = await only_ask(bot)
    assert [a for a, _ in buttons(body["blocks"])] == ["ask_recheck"]
    assert "Check again" in json.dumps(body["blocks"])

    # A crafted "Ask anyway" changes nothing: the policy is checked again on the server.
    _, url = await press(bot, "ask_anyway", held.id, ALICE)
    [still] = await replies_to(bot, url)
    assert "Not quite yet" in json.dumps(still.args["blocks"])
    assert (await only_ask(bot)).status == HELD and posts_to(bot, "C0001") == []

    await seed(bot, ALICE, BOB, 2, days_ago=3)  # taken 4 -> 2: under the threshold
    _, url = await press(bot, "ask_recheck", held.id, ALICE)
    await replies_to(bot, url)
    assert (await only_ask(bot)).status == OPEN and len(posts_to(bot, "C0001")) == 1


async def test_policy_off_never_holds(bot: Bot) -> None:
    await configure(bot, policy="off")
    await make_taker(bot)
    assert (await ask(bot, "anyone free for lunch and learn?", ALICE))[0] is None
    await bot.fake.wait_for("chat.postMessage")


async def test_only_the_asker_can_ask_anyway(bot: Bot) -> None:
    await make_taker(bot)
    await ask(bot, "help me", ALICE)
    _, url = await press(bot, "ask_anyway", (await only_ask(bot)).id, CAROL)
    [reply] = await replies_to(bot, url)
    assert f"Only <@{ALICE}>" in reply.args["text"] and posts_to(bot, "C0001") == []


async def test_ask_without_text_explains(bot: Bot) -> None:
    body, _ = await ask(bot, f"<@{BOB}>", ALICE)
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
    assert "helped you 2" in json.dumps(sections[1]) and "helped you" not in json.dumps(sections[0])
    assert "accessory" not in sections[2]  # her own ask: no "I can help"
    assert body["text"] == "Open asks (3)"


async def test_the_board_when_empty(bot: Bot) -> None:
    body = (await bot.sender.command("/giveback", "asks", user_id=ALICE)).json()
    assert "No open asks" in json.dumps(body["blocks"])


async def test_japanese_asker_gets_japanese_give_first(bot: Bot) -> None:
    await seed(bot, ALICE, BOB, 5)
    await seed(bot, BOB, ALICE, 1)
    await seed(bot, CAROL, BOB, 4)
    await seed(bot, DAVE, BOB, 4)
    body, _ = await ask(bot, "レビューをお願いできますか", BOB)
    assert "お願いの前に" in json.dumps(body["blocks"], ensure_ascii=False)


async def _all_asks(bot: Bot) -> list:
    rows = await bot.store.db.fetchall("SELECT id FROM asks ORDER BY id")
    return [await bot.store.asks.get(team_id="T0001", ask_id=r[0]) for r in rows]
