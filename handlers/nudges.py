"""``/giveback nudges on|off``: each person decides whether the scheduler may nudge them."""

from __future__ import annotations

import dataclasses

from slack_bolt.async_app import AsyncApp

from bot.catalog import t
from handlers.commands import SUBCOMMANDS, Invocation


def register(app: AsyncApp) -> None:
    SUBCOMMANDS["nudges"] = set_nudges


async def set_nudges(inv: Invocation) -> None:
    store = inv.deps.store.preferences
    choice = inv.args.strip().lower()
    current = await store.user(inv.team_id, inv.user_id)
    if choice not in ("on", "off"):
        key = "nudges.status_on" if current.nudges else "nudges.status_off"
        await inv.ack(response_type="ephemeral", text=t(inv.lang, key))
        return
    wanted = choice == "on"
    if current.nudges != wanted:
        updated = dataclasses.replace(current, nudges=wanted)
        await store.save_user(inv.team_id, inv.user_id, updated, now=inv.deps.clock())
    # Saved before the ack: what we confirm is what the next sweep sees.
    await inv.ack(response_type="ephemeral", text=t(inv.lang, f"nudges.{choice}"))
