"""``/giveback nudges on|off``: each person decides whether the scheduler may nudge them."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.i18n.catalog import t
from handlers.subcommands import Invocation, Subcommands


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    subcommands.add("nudges", set_nudges)


async def set_nudges(inv: Invocation) -> None:
    choice = inv.args.strip().lower()
    if choice not in ("on", "off"):
        current = await inv.deps.store.preferences.user(inv.team_id, inv.user_id)
        key = "nudges.status_on" if current.nudges else "nudges.status_off"
        await inv.ack(response_type="ephemeral", text=t(inv.lang, key))
        return
    await inv.deps.set_preferences(inv.team_id, inv.user_id, nudges=choice == "on")
    # Saved before the ack: what we confirm is what the next sweep sees.
    await inv.ack(response_type="ephemeral", text=t(inv.lang, f"nudges.{choice}"))
