"""Asks that close: "Not this time" (someone named), "Keep it open" (the check-in) and "Still
need help" (Home)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import HELD, Ask
from bot.domain.parsing import parse_thanks
from bot.i18n.catalog import t
from bot.services.announce import announce_thanks
from bot.services.asks import load_ask, post_held, resolve, thank_helpers
from bot.services.busy import busy_named
from bot.services.deps import Deps
from bot.services.followup import decline, keep_open, still_need
from bot.services.home import refresh_home
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import asks as ask_views
from bot.views import ids
from bot.views.blocks import people
from bot.views.followup import parse_json_value
from bot.views.thanks import thanks_problems
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.action(ids.DECLINE)(acks_early(handle_decline))
    app.action(ids.KEEP_OPEN)(acks_early(handle_keep_open))
    app.action(ids.STILL_NEED)(acks_early(handle_still_need))
    app.action(ids.RESOLVE_INSTEAD)(acks_early(handle_resolve_instead))
    app.action(ids.BUSY_POST)(acks_early(handle_busy_choice))
    app.action(ids.BUSY_DROP)(acks_early(handle_busy_choice))
    app.action(ids.BUSY_SWAP)(acks_early(handle_busy_choice))
    app.action(ids.THANK_SEPARATELY)(acks_early(handle_thank_separately))


async def handle_decline(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """Someone named passes on the ask: their copy says thanks, the asker hears it kindly."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    ask = await load_ask(deps, team_id, action.get("value"))
    if ask is None or not ask.is_open:
        await respond(replace_original=False, text=ask_views.closed_reason(ask, lang))
        return
    if user_id not in ask.asked:
        await respond(replace_original=False, text=t(lang, "error.generic"))
        return
    await decline(deps, client, ask, user_id)
    log.info("ask declined team=%s ask=%d", team_id, ask.id)
    await respond(replace_original=True, text=t(lang, "followup.declined", asker=ask.asker_id))


async def _own_open_ask(
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> tuple[Ask, str] | None:
    """The presser's own open ask, and their language; otherwise tell them why not."""
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    ask = await load_ask(deps, team_id, action.get("value"))
    reason = ask_views.refusal(ask, user_id, lang, by_asker=True)
    if reason is not None or ask is None:
        await respond(replace_original=False, text=reason or ask_views.closed_reason(ask, lang))
        return None
    return ask, lang


async def handle_keep_open(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    await ack()
    found = await _own_open_ask(body, context, action, client, respond, deps)
    if found is None:
        return
    ask, lang = found
    await respond(replace_original=True, text=await keep_open(deps, ask, lang))


async def handle_still_need(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """From Home: the asker still needs help; the ask comes up again in its channel."""
    await ack()
    found = await _own_open_ask(body, context, action, client, respond, deps)
    if found is None:
        return
    ask, lang = found
    note = await still_need(deps, client, ask, lang)
    await client.chat_postMessage(channel=ask.asker_id, text=note)
    await refresh_home(client, deps, ask.team_id, [ask.asker_id])


async def handle_resolve_instead(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """Resolve the ask crediting the people the /thanks named who offered on it: one credit."""
    await ack()
    chosen = parse_json_value(str(action.get("value", "")))
    found = await _own_open_ask(body, context, {"value": chosen.get("ask")}, client, respond, deps)
    if found is None:
        return
    ask, lang = found
    helpers = tuple(h for h in chosen.get("helpers", []) if h in ask.offers)
    if not helpers or not await resolve(deps, ask, helpers):
        await respond(replace_original=True, text=ask_views.closed_reason(ask, lang))
        return
    log.info(
        "ask resolved from /thanks team=%s ask=%d helpers=%d", ask.team_id, ask.id, len(helpers)
    )
    await respond(
        replace_original=True,
        text=t(lang, "followup.resolved_instead", helpers=people(helpers, lang)),
    )
    await thank_helpers(deps, client, ask, helpers, str(chosen.get("note", "")))
    await refresh_home(client, deps, ask.team_id, [ask.asker_id, *helpers])


async def handle_thank_separately(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """Record the /thanks as it was typed (its key is the command's: once, however pressed)."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    typed = parse_json_value(str(action.get("value", "")))
    request = parse_thanks(str(typed.get("text", "")), invoker=user_id)
    outcome = await give_thanks(
        deps,
        client,
        team_id=team_id,
        giver=user_id,
        request=request,
        source="command",
        channel_id=typed.get("channel"),
        key=str(typed.get("key") or f"separate:{body.get('trigger_id')}"),
    )
    problems = thanks_problems(outcome, lang)
    if not outcome.recorded:
        text = "\n".join(problems) or t(lang, "thanks.duplicate")
        await respond(replace_original=True, text=text)
        return
    await respond(delete_original=True)
    await announce_thanks(
        deps,
        client,
        team_id=team_id,
        giver=user_id,
        outcome=outcome,
        lang=lang,
        channel=typed.get("channel"),
        respond=respond,
    )
    await refresh_home(client, deps, team_id, [user_id, *outcome.recorded])


async def handle_busy_choice(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """The asker's answer to "they are busy", before the held ask is posted: as it is, without
    naming the busy, or naming someone thanked for similar help instead."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    raw, _, instead = str(action.get("value", "")).partition(":")
    ask = await load_ask(deps, team_id, raw)
    if ask is None or ask.asker_id != user_id or ask.status != HELD:
        text = (
            ask_views.closed_reason(ask, lang)
            if ask is None or ask.asker_id == user_id
            else (t(lang, "asks.only_asker", asker=ask.asker_id))
        )
        if ask is not None and ask.is_open:
            text = t(lang, "asks.posted")
        await respond(replace_original=False, text=text)
        return
    if action["action_id"] in (ids.BUSY_DROP, ids.BUSY_SWAP):
        busy = await busy_named(deps, ask)
        await deps.store.asks.unname(team_id=team_id, ask_id=ask.id, users=busy)
    if action["action_id"] == ids.BUSY_SWAP and instead:
        await deps.store.asks.add_asked(
            team_id=team_id, ask_id=ask.id, user_id=instead, now=deps.clock()
        )
    log.info("busy ask posted team=%s ask=%d choice=%s", team_id, ask.id, action["action_id"])
    await post_held(deps, client, respond, ask, lang, notes=[])


def _not_held(ask: Ask | None, user_id: str, lang: str) -> str:
    """Why a busy-note button does nothing now."""
    if ask is not None and ask.asker_id != user_id:
        return t(lang, "asks.only_asker", asker=ask.asker_id)
    if ask is not None and ask.is_open:
        return t(lang, "asks.posted")  # posted already (a double click)
    return ask_views.closed_reason(ask, lang)
