"""Channels stay calm: one reply per thanked message, one thanks per person per message, no
announcement past the daily cap, and hourly limits on what one person makes the bot send."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from bot.devtools.payloads import reaction
from tests.conftest import ALICE, BOB, CAROL, DAVE, Bot
from tests.e2e.test_reach import dm_text, open_form, submit_form
from tests.support.favours import ask, configure, posts_to, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

TS = "1700000000.000100"  # Carol's message that people react to
ERIN, FRANK = "UERIN", "UFRANK"


def react(by: str, emoji: str = "raised_hands", kind: str = "reaction_added") -> dict:
    return reaction(kind, user_id=by, emoji=emoji, item_user=CAROL, ts=TS)


def add_people(bot: Bot, *names: str) -> list[str]:
    ids = []
    for name in names:
        user_id = f"U{name.upper()}"
        bot.fake.add_user(user_id, name)
        ids.append(user_id)
    return ids


async def test_five_reactions_make_one_reply_in_the_thread_updated_in_place(bot: Bot) -> None:
    add_people(bot, "erin", "frank")
    for reactor, emoji in [(DAVE, "pray"), (ERIN, "raised_hands"), (BOB, "heart_hands")]:
        await bot.sender.event(react(reactor, emoji))
        await settle(bot)
        bot.clock.advance(timedelta(seconds=5))
    for reactor in (ALICE, FRANK):
        await bot.sender.event(react(reactor))
        await settle(bot)
    [reply] = posts_to(bot, "C0001")
    assert reply.args["thread_ts"] == TS and "reply_broadcast" not in reply.args
    assert reply.args["text"] == f":raised_hands: dave thanked <@{CAROL}> for this"
    updates = bot.fake.calls_to("chat.update")
    assert len(updates) == 4 and {u.args["ts"] for u in updates} == {reply.result["ts"]}
    assert updates[-1].args["text"] == (
        f":raised_hands: dave, erin, bob, alice and frank thanked <@{CAROL}> for this"
    )
    assert len(await bot.events()) == 5  # each reaction is a thanks of its own


async def test_reactions_landing_together_still_make_one_reply_naming_everyone(bot: Bot) -> None:
    add_people(bot, "erin", "frank")
    reactors = [ALICE, BOB, DAVE, ERIN, FRANK]
    await asyncio.gather(*(bot.sender.event(react(r)) for r in reactors))
    await settle(bot)
    [reply] = posts_to(bot, "C0001")
    final = (bot.fake.calls_to("chat.update") or [reply])[-1].args["text"]
    for name in ("alice", "bob", "dave", "erin", "frank"):
        assert name in final
    assert len(bot.fake.messages["C0001"]) == 1  # one reply in the thread, whatever the order


async def test_two_thank_you_emoji_from_one_person_are_one_thanks(bot: Bot) -> None:
    await bot.sender.event(react(ALICE, "raised_hands"))
    await bot.sender.event(react(ALICE, "pray"))
    await settle(bot)
    assert len(await bot.events()) == 1
    assert len(posts_to(bot, "C0001")) == 1 and bot.fake.calls_to("chat.update") == []
    # Taking one back leaves the other's thanks; taking both back takes it, and the reply.
    await bot.sender.event(react(ALICE, "pray", "reaction_removed"))
    await settle(bot)
    assert len(await bot.events()) == 1 and bot.fake.calls_to("chat.delete") == []
    await bot.sender.event(react(ALICE, "raised_hands", "reaction_removed"))
    await settle(bot)
    assert await bot.events() == []
    [deleted] = bot.fake.calls_to("chat.delete")
    assert deleted.args["ts"] == posts_to(bot, "C0001")[0].result["ts"]
    # Reacting again later starts a fresh reply.
    await bot.sender.event(react(ALICE, "pray"))
    await settle(bot)
    assert len(posts_to(bot, "C0001")) == 2


async def test_one_reactor_leaving_updates_the_reply_without_them(bot: Bot) -> None:
    await bot.sender.event(react(ALICE))
    await settle(bot)
    bot.clock.advance(timedelta(seconds=5))
    await bot.sender.event(react(DAVE))
    await settle(bot)
    await bot.sender.event(react(ALICE, kind="reaction_removed"))
    await settle(bot)
    assert bot.fake.calls_to("chat.update")[-1].args["text"] == (
        f":raised_hands: dave thanked <@{CAROL}> for this"
    )


async def test_thanks_past_the_daily_cap_are_recorded_but_not_announced_again(bot: Bot) -> None:
    for n in range(4):
        status, _, _ = await bot.thanks(f"<@{BOB}> for fix number {n}")
        assert status == 200
    await settle(bot)
    assert [e.counted for e in await bot.events()] == [True, True, True, False]
    replies = bot.fake.calls_to("response_url")
    announced = [r for r in replies if r.args.get("response_type") == "in_channel"]
    assert [("fix number 3" in r.args["text"]) for r in announced] == [False, False, False]
    [told] = [r for r in replies if r.args.get("response_type") == "ephemeral"]
    assert "several times today already, so I didn't announce it again" in told.args["text"]
    assert bot.fake.calls_to("chat.postMessage") == []  # no DM for it either


async def test_one_person_cannot_make_the_bot_post_more_than_twenty_times_an_hour(
    bot: Bot,
) -> None:
    await configure(bot, daily_pair_cap=20)
    for n in range(23):
        await bot.thanks(f"<@{(BOB, CAROL)[n % 2]}> for thing {n}")
    await settle(bot)
    assert len(await bot.events()) == 23  # every thanks is recorded
    replies = bot.fake.calls_to("response_url")
    assert len([r for r in replies if r.args.get("response_type") == "in_channel"]) == 20
    private = [r.args["text"] for r in replies if r.args.get("response_type") == "ephemeral"]
    assert len(private) == 3 and all(p.startswith("Recorded:") for p in private)
    assert sum("You've said thanks a lot in the last hour" in p for p in private) == 1
    # The three not announced reach their helpers by DM instead.
    dms = bot.fake.calls_to("chat.postMessage")
    assert sorted(d.args["channel"] for d in dms) == [BOB, BOB, CAROL]
    # An hour later the channel hears again.
    bot.clock.advance(timedelta(hours=1))
    await bot.thanks(f"<@{DAVE}> for the next thing")
    await settle(bot)
    assert bot.fake.calls_to("response_url")[-1].args.get("response_type") == "in_channel"


async def test_an_ask_naming_many_people_dms_thirty_and_says_who_was_not_told(bot: Bot) -> None:
    named = add_people(bot, *(f"p{n:02d}" for n in range(35)))
    _, url = await ask(bot, " ".join(f"<@{u}>" for u in named) + " who can cover on-call?", ALICE)
    await settle(bot)
    dms = [c for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] != "C0001"]
    assert sorted(d.args["channel"] for d in dms) == sorted(named[:30])
    [answer] = [c for c in bot.fake.calls_to("response_url") if c.url and url.endswith(c.url)]
    assert "so I didn't message" in answer.args["text"]
    assert all(f"<@{u}>" in answer.args["text"] for u in named[30:])
    assert f"<@{named[0]}>" not in answer.args["text"].split("didn't message", 1)[1]


async def test_thanks_dms_on_ones_behalf_stop_at_thirty_an_hour_and_say_so_once(
    bot: Bot,
) -> None:
    people = add_people(bot, *(f"q{n:02d}" for n in range(40)))
    for first in range(0, 40, 10):  # 40 people thanked privately in a few seconds
        await submit_form(bot, await open_form(bot), people[first : first + 10], "the offsite")
        await settle(bot)
    assert len(await bot.events()) == 40  # every thanks is recorded
    thanks_dms = [c for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] != ALICE]
    assert [c.args["channel"] for c in thanks_dms] == people[:30]
    assert all("the offsite" in dm_text(c) for c in thanks_dms)
    [notice] = [c for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] == ALICE]
    assert "so I didn't message" in notice.args["text"]


def test_the_limits_are_what_the_readme_says() -> None:
    from bot.domain.limits import ANNOUNCE, DM

    assert (ANNOUNCE.most, DM.most) == (20, 30)
    assert json.dumps([ANNOUNCE.per, DM.per], default=str) == '["1:00:00", "1:00:00"]'
