"""Asks that close and a network you can tend, end to end (signed requests, both backends).

"Not this time", withdrawing (the people who offered hear it), the one check-in and the close
by itself (through the real sweep with the app's clock), your asks on Home with "Still need
help", ties going quiet, leaving a tie out of your view, and opting out of suggestions.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.devtools.payloads import block_action
from bot.jobs.sweep import run_sweep
from bot.views import ids
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, Bot
from tests.support.favours import ask, buttons, only_ask, posts_to, press, replies_to, seed
from tests.support.home import home_text, open_home
from tests.support.nudges import make_env

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def test_not_this_time_tells_the_asker_kindly_and_frees_the_person(bot: Bot) -> None:
    _, asked = await ask(bot, f"<@{BOB}> could you review my deploy script?", ALICE)
    await replies_to(bot, asked)  # posted, and DMed to Bob
    the_ask = await only_ask(bot)
    [dm] = posts_to(bot, BOB)
    assert (ids.DECLINE, str(the_ask.id)) in buttons(dm.args["blocks"])
    _, url = await press(bot, ids.DECLINE, the_ask.id, BOB)
    [answer] = await replies_to(bot, url)
    assert "お伝えしました" in answer.args["text"]  # Bob reads Japanese
    told = [c for c in posts_to(bot, ALICE) if "can't help with this one" in c.args["text"]]
    assert len(told) == 1 and f"<@{BOB}>" in told[0].args["text"]
    assert (await only_ask(bot)).declined == (BOB,)
    assert await bot.store.asks.open_counts(TEAM, [BOB]) == {BOB: 0}  # not waiting on him
    _, again = await press(bot, ids.DECLINE, the_ask.id, BOB)
    await replies_to(bot, again)
    assert len([c for c in posts_to(bot, ALICE) if "can't help" in c.args["text"]]) == 1


async def test_withdrawing_tells_everyone_who_offered(bot: Bot) -> None:
    _, asked = await ask(bot, "Anyone free to pair on the flaky test?", ALICE)
    await replies_to(bot, asked)
    the_ask = await only_ask(bot)
    _, offered = await press(bot, ids.OFFER, the_ask.id, CAROL)
    await replies_to(bot, offered)
    _, url = await press(bot, ids.WITHDRAW, the_ask.id, ALICE)
    await replies_to(bot, url)
    await bot.fake.wait_for("chat.postMessage", count=3)
    [note] = posts_to(bot, CAROL)
    assert "withdrew the ask you offered to help with" in note.args["text"]
    assert "Anyone free to pair" in json.dumps(note.args["blocks"])


async def test_an_unanswered_ask_gets_one_check_in_then_closes_by_itself(bot: Bot) -> None:
    env = make_env(bot.store, bot.fake, bot.clock)
    _, asked = await ask(bot, "Who knows the VPN setup?", ALICE)
    await replies_to(bot, asked)
    the_ask = await only_ask(bot)
    bot.clock.now += timedelta(days=3)  # Thursday, 10:00 in New York: Alice's daytime
    report = await run_sweep(bot.deps, env.client, bot.clock())
    assert (ALICE, "checkin") in [(k.recipient_id, k.kind) for k in report.sent()]
    [checkin] = [m for m in env.dms(ALICE) if "hasn't had an offer yet" in m["text"]]
    actions = {a for a, _ in buttons(checkin["blocks"])}
    assert {ids.KEEP_OPEN, ids.WITHDRAW} <= actions
    again = await run_sweep(bot.deps, env.client, bot.clock())
    assert "checkin" not in [k.kind for k in again.sent()]  # one check-in, ever
    _, url = await press(bot, ids.KEEP_OPEN, the_ask.id, ALICE)
    [answer] = await replies_to(bot, url)
    assert "It stays open" in answer.args["text"] and "14 more days" in answer.args["text"]
    bot.clock.now += timedelta(days=13)
    await run_sweep(bot.deps, env.client, bot.clock())
    assert (await only_ask(bot)).is_open  # 13 days since "Keep it open": not yet
    bot.clock.now += timedelta(days=1)
    report = await run_sweep(bot.deps, env.client, bot.clock())
    closed = await only_ask(bot)
    assert closed.status == "withdrawn" and closed.closed_by == "auto"
    assert (ALICE, "autoclosed") in [(k.recipient_id, k.kind) for k in report.sent()]
    [post] = bot.fake.messages["C0001"]
    assert "closed by itself after 14 days without an offer" in json.dumps(post["blocks"])
    assert any("closed by itself" in m["text"] for m in env.dms(ALICE))


async def test_your_asks_on_home_and_still_need_help(bot: Bot) -> None:
    _, asked = await ask(bot, "Looking for a reviewer for the billing fix", ALICE)
    await replies_to(bot, asked)
    mine = await only_ask(bot)
    _, asked = await ask(bot, "Help moving desks?", BOB)
    await replies_to(bot, asked)
    bobs = next(a for a in await bot.store.asks.open_asks(TEAM) if a.asker_id == BOB)
    _, offered = await press(bot, ids.OFFER, bobs.id, ALICE)
    await replies_to(bot, offered)
    await open_home(bot, ALICE)
    home = bot.fake.home_tabs[ALICE]
    shown = home_text(bot, ALICE)
    assert "Your asks" in shown and "Looking for a reviewer" in shown.split("Your asks")[1]
    assert "Asks you offered to help with" in shown and "Help moving desks?" in shown
    mine_buttons = {a for a, v in buttons(home["blocks"]) if v == str(mine.id)}
    assert {ids.RESOLVE, ids.STILL_NEED, ids.WITHDRAW} <= mine_buttons
    await press(bot, ids.STILL_NEED, mine.id, ALICE)
    replies = await bot.fake.wait_for("chat.postMessage", count=4)
    [bump] = [c for c in replies if c.args.get("thread_ts")]
    assert bump.args["channel"] == "C0001" and "still needs help" in bump.args["text"]
    assert (await bot.store.asks.get(team_id=TEAM, ask_id=mine.id)).touched_at == bot.clock()
    await press(bot, ids.STILL_NEED, mine.id, ALICE)  # again the same day: no second bump
    await bot.fake.wait_for("chat.postMessage", count=5)  # the note to Alice only
    assert len([c for c in bot.fake.calls_to("chat.postMessage") if c.args.get("thread_ts")]) == 1


async def test_ties_going_quiet_and_leaving_a_tie_out_of_your_view(bot: Bot) -> None:
    await seed(bot, ALICE, BOB, 2, days_ago=80)
    await seed(bot, BOB, ALICE, 2, days_ago=70)  # two-way, quiet for 70 days
    await seed(bot, ALICE, CAROL, 1)
    await seed(bot, CAROL, ALICE, 1)  # two-way, recent
    _, asked = await ask(bot, "Does anyone have a spare HDMI adapter?", BOB)
    await replies_to(bot, asked)
    await open_home(bot, ALICE)
    quiet = home_text(bot, ALICE).split("Ties going quiet", 1)[1].split("Your asks", 1)[0]
    assert f"<@{BOB}>" in quiet and "spare HDMI adapter" in quiet and f"<@{CAROL}>" not in quiet
    pick = block_action(ids.HIDE_TIE, "", user_id=ALICE)
    pick["actions"][0] = {"type": "users_select", "action_id": ids.HIDE_TIE, "selected_user": BOB}
    assert (await bot.sender.interaction(pick)).status == 200
    await bot.fake.wait_for("views.publish", count=2)
    shown = home_text(bot, ALICE)
    network = shown.split("Your real network", 1)[1].split("Your asks", 1)[0]
    assert f"<@{BOB}>" not in network  # gone from her network view (and only from that)
    assert "1 colleague left out" in shown
    reply = await bot.sender.command("/giveback", "network", user_id=ALICE)
    assert f"<@{BOB}>" not in json.dumps(reply.json()["blocks"])
    await press(bot, ids.SHOW_TIES, "all", ALICE)
    await bot.fake.wait_for("views.publish", count=3)
    network = home_text(bot, ALICE).split("Your real network", 1)[1].split("Your asks", 1)[0]
    assert f"<@{BOB}>" in network


async def test_opting_out_of_suggestions_and_back(bot: Bot) -> None:
    reply = await bot.sender.command("/giveback", "suggest off", user_id=DAVE)
    assert "won't suggest you" in reply.json()["text"]
    assert not (await bot.store.preferences.user(TEAM, DAVE)).suggestable
    await open_home(bot, DAVE)
    assert ("home_suggestable_toggle", "on") in buttons(bot.fake.home_tabs[DAVE]["blocks"])
    await press(bot, ids.SUGGESTABLE_TOGGLE, "on", DAVE)
    await bot.fake.wait_for("views.publish", count=2)
    assert (await bot.store.preferences.user(TEAM, DAVE)).suggestable


async def _asked_and_offered(bot: Bot) -> int:
    _, asked = await ask(bot, "Could someone review the billing fix?", ALICE)
    await replies_to(bot, asked)
    the_ask = await only_ask(bot)
    _, offered = await press(bot, ids.OFFER, the_ask.id, CAROL)
    await replies_to(bot, offered)
    return the_ask.id


async def test_thanking_who_offered_on_your_ask_resolves_it_instead(bot: Bot) -> None:
    ask_id = await _asked_and_offered(bot)
    status, body, _ = await bot.thanks(f"<@{CAROL}> for the review", user_id=ALICE)
    assert status == 200 and "offered to help with your ask" in body["text"]
    assert await bot.events() == []  # nothing credited yet
    [resolve_value] = [v for a, v in buttons(body["blocks"]) if a == ids.RESOLVE_INSTEAD]
    _, url = await press(bot, ids.RESOLVE_INSTEAD, resolve_value, ALICE)
    [answer] = await replies_to(bot, url)
    assert "resolved, and I thanked" in answer.args["text"]
    resolved = await bot.store.asks.get(team_id=TEAM, ask_id=ask_id)
    assert resolved is not None and resolved.status == "resolved" and resolved.helpers == (CAROL,)
    events = await bot.events()
    assert [(e.giver_id, e.receiver_id, e.source) for e in events] == [(CAROL, ALICE, "ask")]
    _, again = await press(bot, ids.RESOLVE_INSTEAD, resolve_value, ALICE)
    await replies_to(bot, again)
    assert len(await bot.events()) == 1  # one favour, one credit


async def test_or_thanking_them_separately_records_the_thanks_as_typed(bot: Bot) -> None:
    await _asked_and_offered(bot)
    _, body, _ = await bot.thanks(f"<@{CAROL}> for the coffee", user_id=ALICE)
    [typed] = [v for a, v in buttons(body["blocks"]) if a == ids.THANK_SEPARATELY]
    _, url = await press(bot, ids.THANK_SEPARATELY, typed, ALICE)
    await replies_to(bot, url, count=2)  # the offer removed, the thanks announced
    [event] = await bot.events()
    assert (event.giver_id, event.note, event.source) == (CAROL, "the coffee", "command")
    assert (await only_ask(bot)).is_open
    _, again = await press(bot, ids.THANK_SEPARATELY, typed, ALICE)
    await replies_to(bot, again)
    assert len(await bot.events()) == 1  # the command's own key: recorded once
