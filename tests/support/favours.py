"""Driving favours end to end: seeding history, /ask, button presses, modal submissions."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bot.devtools.fakeslack import Call
from bot.devtools.payloads import block_action, view_submission
from bot.devtools.simulate import Reply
from bot.domain.favours import Ask
from bot.domain.settings import WorkspaceSettings
from bot.slack.acking import TASK_PREFIX
from tests.conftest import TEAM, Bot
from tests.support.events import help_events


async def seed(bot: Bot, giver: str, receiver: str, times: int, *, days_ago: int = 1) -> None:
    """``giver`` helped ``receiver`` ``times`` times, on different days (so all count)."""
    events = help_events(
        giver,
        receiver,
        times,
        latest=bot.clock() - timedelta(days=days_ago),
        spacing=timedelta(days=1),
        key=f"seed:{giver}:{receiver}:{days_ago}",
        note="seeded",
    )
    await bot.store.events.record(events)


async def configure(bot: Bot, **changes: Any) -> None:
    settings = WorkspaceSettings(**changes)
    await bot.store.preferences.save_workspace(TEAM, settings, now=bot.clock())


async def ask(bot: Bot, text: str, user_id: str, channel_id: str = "C0001") -> tuple[Any, str]:
    """Run ``/ask``; return (ack body, its response_url)."""
    url = bot.fake.response_url("ask")
    reply = await bot.sender.command(
        "/ask", text, user_id=user_id, response_url=url, channel_id=channel_id
    )
    assert reply.status == 200, reply.text
    return reply.json(), url


async def press(bot: Bot, action_id: str, value: object, user_id: str) -> tuple[Reply, str]:
    url = bot.fake.response_url("press")
    payload = block_action(action_id, str(value), user_id=user_id, response_url=url)
    reply = await bot.sender.interaction(payload)
    assert reply.status == 200, reply.text
    return reply, url


async def replies_to(bot: Bot, url: str, count: int = 1) -> list[Call]:
    """Wait until ``count`` posts reached ``url`` (a press's own response_url)."""
    for _ in range(500):
        # The call holds the URL's path: the whole path must match ("ask-1" is not "ask-12").
        found = [c for c in bot.fake.calls_to("response_url") if c.url and url.endswith(c.url)]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.01)
    raise AssertionError(f"expected {count} replies to {url}, got {len(found)}")


async def submit(bot: Bot, view: dict[str, Any], values: dict[str, Any], user_id: str) -> Reply:
    reply = await bot.sender.interaction(view_submission(view, values, user_id=user_id))
    assert reply.status == 200, reply.text
    return reply


async def settle(bot: Bot) -> None:
    """Let the app finish what it does after its acks (announcements, DMs, Home tabs)."""
    for _ in range(3):
        await asyncio.sleep(0.05)
        busy = [t for t in asyncio.all_tasks() if t.get_name().startswith(TASK_PREFIX)]
        if busy:
            await asyncio.wait(busy, timeout=5)


def posts_to(bot: Bot, channel: str) -> list[Call]:
    return [c for c in bot.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(action_id, value) of every button in ``blocks``."""
    found = []
    for block in blocks:
        elements = block.get("elements", []) if block["type"] == "actions" else []
        if block.get("accessory"):
            elements = [block["accessory"]]
        found += [
            (e["action_id"], e.get("value", "")) for e in elements if e.get("type") == "button"
        ]
    return found


async def only_ask(bot: Bot) -> Ask:
    rows = await bot.store.db.fetchall("SELECT id FROM asks WHERE team_id = ?", (TEAM,))
    assert len(rows) == 1, rows
    found = await bot.store.asks.get(team_id=TEAM, ask_id=rows[0][0])
    assert found is not None
    return found
