"""Nudges and favours together: real asks in the nudge DMs, and their buttons work."""

from __future__ import annotations

from bot.devtools.payloads import block_action
from bot.jobs.sweep import run_sweep
from tests.conftest import ALICE, BOB, CAROL, TEAM, Bot
from tests.support.nudges import helped, make_env


def buttons(message: dict, action_id: str) -> list[dict]:
    found = []
    for block in message.get("blocks", []):
        found += block.get("elements", []) if block["type"] == "actions" else []
        found += [block["accessory"]] if "accessory" in block else []
    return [element for element in found if element.get("action_id") == action_id]


async def test_a_nudge_offers_a_real_open_ask_and_its_button_records_the_offer(bot: Bot) -> None:
    # Monday 15:00 UTC is 10:00 in New York: Alice (in deficit) is in her delivery window.
    await helped(bot.store, BOB, ALICE, 3, at=bot.clock())
    await helped(bot.store, CAROL, ALICE, 3, at=bot.clock())
    reply = await bot.sender.command(
        "/ask",
        "a second pair of eyes on my talk",
        user_id=BOB,
        response_url=bot.fake.response_url(),
    )
    assert reply.status == 200
    [ask] = await bot.store.asks.open_asks(TEAM)

    env = make_env(bot.store, bot.fake, bot.clock)
    report = await run_sweep(bot.deps, env.client, bot.clock())
    assert [(k.recipient_id, k.kind) for k in report.sent()] == [(ALICE, "giveback")], report.sent()
    [nudge] = [m for m in env.dms(ALICE) if "giveback_nudge" in str(m.get("metadata"))]
    [offer] = buttons(nudge, "ask_offer")
    assert offer["value"] == str(ask.id)

    press = block_action(
        "ask_offer",
        offer["value"],
        user_id=ALICE,
        channel_id=bot.fake.dm_channel(ALICE),
        message_ts=nudge["ts"],
        response_url=bot.fake.response_url(),
    )
    posts_before = len(bot.fake.calls_to("chat.postMessage"))
    assert (await bot.sender.interaction(press)).status == 200
    await bot.fake.wait_for("chat.postMessage", count=posts_before + 1)
    assert any(ALICE in str(m.get("text")) for m in env.dms(BOB))  # the asker is told who offered
    after = await bot.store.asks.get(team_id=TEAM, ask_id=ask.id)
    assert after is not None and after.offers == (ALICE,)
