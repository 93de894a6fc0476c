"""Asks that close: "Not this time" (someone named), "Keep it open" (the check-in) and "Still
need help" (Home)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n.catalog import t
from bot.services.asks import load_ask
from bot.services.deps import Deps
from bot.services.followup import decline, keep_open, still_need
from bot.services.home import refresh_home
from bot.slack.acking import acks_early
from bot.views import asks as ask_views
from bot.views import ids
from handlers.subcommands import Subcommands
from storage.asks import AskMessage

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.action(ids.DECLINE)(acks_early(handle_decline))
    app.action(ids.KEEP_OPEN)(acks_early(handle_keep_open))
    app.action(ids.STILL_NEED)(acks_early(handle_still_need))


async def handle_decline(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """Someone named passes on the ask: their copy says thanks, the asker hears it kindly."""
    await ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    ask = await load_ask(deps, team_id, action.get("value"))
    if ask is None or not ask.is_open:
        await respond(replace_original=False, text=ask_views.closed_reason(ask, lang))
        return
    if user_id not in ask.asked:
        await respond(replace_original=False, text=t(lang, "error.generic"))
        return
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    copy = (
        AskMessage(ask.id, channel, message["ts"], "dm", lang)
        if channel and message.get("ts")
        else None
    )
    await decline(deps, client, ask, user_id, copy)
    log.info("ask declined team=%s ask=%d", team_id, ask.id)
    await respond(replace_original=True, text=t(lang, "followup.declined", asker=ask.asker_id))


async def _own_open_ask(
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> tuple[Any, str] | None:
    """The presser's own open ask, and their language; otherwise tell them why not."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    ask = await load_ask(deps, team_id, action.get("value"))
    if ask is None or not ask.is_open:
        await respond(replace_original=False, text=ask_views.closed_reason(ask, lang))
        return None
    if ask.asker_id != user_id:
        await respond(replace_original=False, text=t(lang, "asks.only_asker", asker=ask.asker_id))
        return None
    return ask, lang


async def handle_keep_open(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    await ack()
    found = await _own_open_ask(body, action, client, respond, deps)
    if found is None:
        return
    ask, lang = found
    await respond(replace_original=True, text=await keep_open(deps, ask, lang))


async def handle_still_need(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """From Home: the asker still needs help; the ask comes up again in its channel."""
    await ack()
    found = await _own_open_ask(body, action, client, respond, deps)
    if found is None:
        return
    ask, lang = found
    note = await still_need(deps, client, ask, lang)
    await client.chat_postMessage(channel=ask.asker_id, text=note)
    await refresh_home(client, deps, ask.team_id, [ask.asker_id])
