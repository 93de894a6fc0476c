"""The give-first model end to end, on both backends: thanks never count against anyone; people
asking without giving are invited, with asks to help on; newcomers are welcomed.

Signed requests into the real app (``/thanks``, ``/ask``, button presses) and the real sweep,
as the scheduler runs it; ``dry_run`` is what ``giveback nudge --dry-run`` prints.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.devtools.payloads import block_action
from bot.jobs.sweep import dry_run, run_sweep
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, Bot
from tests.support.asks import words_shown
from tests.support.favours import ask, replies_to
from tests.support.nudges import Env, asked, make_env, welcomed

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

CAROLS_ASK = "a second pair of eyes on my talk"


def buttons(message: dict, action_id: str) -> list[dict]:
    found = []
    for block in message.get("blocks", []):
        found += block.get("elements", []) if block["type"] == "actions" else []
        found += [block["accessory"]] if "accessory" in block else []
    return [element for element in found if element.get("action_id") == action_id]


async def sweep_lines(bot: Bot, env: Env) -> str:
    """What ``giveback nudge --dry-run`` prints right now."""
    return "\n".join((await dry_run(bot.deps, bot.clock(), team_id=TEAM)).lines(dry_run=True))


async def test_thanking_many_colleagues_costs_nothing_anywhere(bot: Bot) -> None:
    """Monday 10:00 in New York: Alice thanks eight times on her first morning, then asks."""
    env = make_env(bot.store, bot.fake, bot.clock)
    await ask(bot, CAROLS_ASK, CAROL)
    for i in range(8):
        status, _, _ = await bot.thanks(f"<@{(BOB, CAROL, DAVE)[i % 3]}> for the help #{i}")
        assert status == 200

    body, _ = await ask(bot, "who knows the billing service?", ALICE)
    assert body is None  # posted at once
    assert ALICE in [a.asker_id for a in await bot.store.asks.open_asks(TEAM)]

    report = await run_sweep(bot.deps, env.client, bot.clock())  # a quarter later
    assert (TEAM, ALICE, "welcome") in [(k.team_id, k.recipient_id, k.kind) for k in report.sent()]
    for days in range(1, 15):  # two weeks of sweeps at her Monday 10:00: never an invitation
        bot.clock.advance(timedelta(days=1))
        later = await run_sweep(bot.deps, env.client, bot.clock())
        assert all(k.kind != "giveback" for k in later.sent()), days
    lines = await sweep_lines(bot, env)
    assert f"not {ALICE}: gives as much as asks (asked 1, gave 0 in 90 days)" in lines


async def test_asking_without_giving_brings_an_invitation_and_one_offer_posts_the_ask(
    bot: Bot,
) -> None:
    env = make_env(bot.store, bot.fake, bot.clock)
    await asked(bot.store, ALICE, 3, at=bot.clock(), helper=BOB)  # six favours, none given
    for helper in (BOB, DAVE):
        await bot.thanks(f"<@{helper}> for the help")  # five help events: not new
    await welcomed(bot.store, ALICE, BOB, DAVE, at=bot.clock())
    await ask(bot, CAROLS_ASK, CAROL)
    [carols] = await bot.store.asks.open_asks(TEAM)

    # The scheduled invitation: asks to help on, one press each, and no score.
    report = await run_sweep(bot.deps, env.client, bot.clock())
    assert (ALICE, "giveback") in [(k.recipient_id, k.kind) for k in report.sent()]
    [invitation] = [m for m in env.dms(ALICE) if "giveback_nudge" in str(m.get("metadata"))]
    assert CAROLS_ASK in str(invitation["blocks"])
    shown = words_shown(invitation["text"], invitation["blocks"], quoted=[CAROLS_ASK])
    assert not re.search(r"\d", shown), shown
    [offer] = buttons(invitation, "ask_offer")
    assert offer["value"] == str(carols.id)

    # At /ask, the same moment: her ask waits, Carol's is one press away, and that press
    # offers help (Carol hears of it) and posts Alice's ask at once.
    body, _ = await ask(bot, "can someone review my migration?", ALICE)
    assert body["response_type"] == "ephemeral"
    shown = words_shown(body["text"], body["blocks"], quoted=[CAROLS_ASK, "can someone review"])
    assert not re.search(r"\d", shown), shown
    [one_press] = buttons(body, "ask_offer_and_post")
    posts_before = len(bot.fake.calls_to("chat.postMessage"))
    url = bot.fake.response_url("give-first")
    press = block_action(
        one_press["action_id"], one_press["value"], user_id=ALICE, response_url=url
    )
    assert (await bot.sender.interaction(press)).status == 200
    [posted] = await replies_to(bot, url)
    assert "Your ask is posted" in posted.args["text"]
    await bot.fake.wait_for("chat.postMessage", count=posts_before + 2)  # Carol's DM, the ask
    assert ALICE in (await bot.store.asks.get(team_id=TEAM, ask_id=carols.id)).offers  # type: ignore[union-attr]
    assert any(f"<@{ALICE}>" in str(m.get("text")) for m in env.dms(CAROL))

    # She saw the give-first moment today: no invitation on the same day.
    bot.clock.advance(timedelta(minutes=30))
    lines = await sweep_lines(bot, env)
    assert f"not {ALICE}: saw the give-first prompt at 2026-11-23 15:00 UTC" in lines


async def test_an_invitations_i_can_help_records_the_offer(bot: Bot) -> None:
    await asked(bot.store, ALICE, 3, at=bot.clock(), helper=BOB)
    for helper in (BOB, DAVE):
        await bot.thanks(f"<@{helper}> for the help")
    await welcomed(bot.store, ALICE, BOB, DAVE, at=bot.clock())
    await ask(bot, CAROLS_ASK, CAROL)
    [carols] = await bot.store.asks.open_asks(TEAM)
    env = make_env(bot.store, bot.fake, bot.clock)
    await run_sweep(bot.deps, env.client, bot.clock())
    [invitation] = [m for m in env.dms(ALICE) if "giveback_nudge" in str(m.get("metadata"))]
    [offer] = buttons(invitation, "ask_offer")

    press = block_action(
        "ask_offer",
        offer["value"],
        user_id=ALICE,
        channel_id=bot.fake.dm_channel(ALICE),
        message_ts=invitation["ts"],
        response_url=bot.fake.response_url(),
    )
    posts_before = len(bot.fake.calls_to("chat.postMessage"))
    assert (await bot.sender.interaction(press)).status == 200
    await bot.fake.wait_for("chat.postMessage", count=posts_before + 1)
    after = await bot.store.asks.get(team_id=TEAM, ask_id=carols.id)
    assert after is not None and after.offers == (ALICE,)


async def test_newcomers_are_welcomed_never_held_never_invited(bot: Bot) -> None:
    env = make_env(bot.store, bot.fake, bot.clock)
    await ask(bot, CAROLS_ASK, CAROL)
    await asked(bot.store, ALICE, 2, at=bot.clock(), helper=BOB)  # four favours, two events
    await welcomed(bot.store, BOB, CAROL, at=bot.clock())

    body, _ = await ask(bot, "where is the style guide?", ALICE)
    assert body is None  # never held

    report = await run_sweep(bot.deps, env.client, bot.clock())
    assert [(k.recipient_id, k.kind) for k in report.sent()] == [(ALICE, "welcome")]
    [welcome] = env.dms(ALICE)
    assert "Welcome to giveback" in str(welcome["blocks"])
    shown = words_shown(welcome["text"], welcome["blocks"])
    assert not re.search(r"\d", shown), shown
    bot.clock.advance(timedelta(days=7))
    lines = await sweep_lines(bot, env)
    assert f"not {ALICE}: newcomer (2 help events, fewer than 5): welcomed, never invited" in lines
