"""Tending your network: being suggested or not (Home and ``/giveback suggest on|off``), and
leaving a tie out of your own network view (Home)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n.catalog import t
from bot.services.deps import Deps
from bot.services.home import choose, refresh_home
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import ids
from handlers.subcommands import Invocation, Subcommands


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.action(ids.SUGGESTABLE_TOGGLE)(acks_early(handle_suggestable_toggle))
    app.action(ids.HIDE_TIE)(acks_early(handle_hide_tie))
    app.action(ids.SHOW_TIES)(acks_early(handle_show_ties))
    subcommands.add("suggest", set_suggestable)


async def handle_suggestable_toggle(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    """Set (not flip) the state the button carries: a double click is harmless."""
    await ack()
    wanted = body["actions"][0].get("value") == "on"
    await choose(client, deps, team_of(context), body["user"]["id"], suggestable=wanted)


async def handle_hide_tie(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    """A colleague picked on Home leaves the picker's own network view (nothing else changes)."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    other = body["actions"][0].get("selected_user")
    hidden = (await deps.store.preferences.user(team_id, user_id)).hidden_ties
    if other and other != user_id and other not in hidden:
        hidden = (*hidden, other)
    await choose(client, deps, team_id, user_id, hidden_ties=hidden)


async def handle_show_ties(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    await ack()
    await choose(client, deps, team_of(context), body["user"]["id"], hidden_ties=())


async def set_suggestable(inv: Invocation) -> None:
    """``/giveback suggest off`` / ``on``."""
    choice = inv.args.strip().lower()
    if choice not in ("on", "off"):
        await inv.ack(response_type="ephemeral", text=t(inv.lang, "tend.suggest_usage"))
        return
    await inv.deps.set_preferences(inv.team_id, inv.user_id, suggestable=choice == "on")
    key = "tend.suggest_now_on" if choice == "on" else "tend.suggest_now_off"
    await inv.ack(response_type="ephemeral", text=t(inv.lang, key))
    await refresh_home(inv.client, inv.deps, inv.team_id, [inv.user_id])
