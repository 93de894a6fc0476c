"""``/ask``: the give-first check, posting an ask, "Ask anyway", and ``/giveback asks``."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import ASK_TEXT_MAX, HELD, parse_ask
from bot.i18n.catalog import t
from bot.services.asks import (
    check_give_first,
    give_first_view,
    helped_by,
    load_ask,
    publish,
)
from bot.services.busy import busy_among, busy_named, busy_view
from bot.services.deps import Deps
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import asks as views
from bot.views import ids
from bot.views.blocks import people, section
from handlers.subcommands import Invocation, Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.command("/ask")(acks_early(handle_ask))
    app.action(ids.ANYWAY)(acks_early(handle_ask_anyway))
    app.action(ids.RECHECK)(acks_early(handle_ask_anyway))
    subcommands.add("asks", show_board)


async def handle_ask(
    ack: AsyncAck,
    command: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    team_id, user_id = command["team_id"], command["user_id"]
    lang = await deps.language(client, team_id, user_id)
    request = parse_ask(command.get("text", ""), invoker=user_id)
    if not request.text:
        await ack(response_type="ephemeral", text=t(lang, "asks.usage"))
        return
    profiles = await deps.directory.profiles(client, team_id, request.asked)
    unknown = [u for u, p in profiles.items() if p is None]
    if unknown:
        await ack(
            response_type="ephemeral",
            text=t(lang, "thanks.lookup_failed", people=people(unknown, lang)),
        )
        return
    bots = [u for u, p in profiles.items() if p is not None and not p.is_person]
    notes = [t(lang, "asks.bots", people=people(bots, lang))] if bots else []
    if request.self_mentioned:
        notes.append(t(lang, "asks.self"))
    if request.plain_at:
        notes.append(t(lang, "asks.plain_at"))
    if request.truncated:
        notes.append(t(lang, "thanks.truncated", limit=ASK_TEXT_MAX))
    now = deps.clock()
    decision = await check_give_first(deps, team_id, user_id)
    named = [u for u in request.asked if u not in bots]
    busy = await busy_among(deps, team_id, named)
    ask, new = await deps.store.asks.create(
        team_id=team_id,
        asker_id=user_id,
        text=request.text,
        channel_id=command.get("channel_id"),
        asked=named,
        held=decision.hold or bool(busy),  # busy people named: said before it is posted
        now=now,
        key=f"cmd:{command['trigger_id']}",
    )
    if ask.status == HELD and not decision.hold:
        text, blocks = await busy_view(deps, ask, busy or await busy_named(deps, ask), lang)
        await ack(response_type="ephemeral", text=text, blocks=blocks)
        return
    if ask.status == HELD:
        text, blocks = await give_first_view(deps, ask, decision, lang)
        await ack(response_type="ephemeral", text=text, blocks=blocks)
        log.info("ask held team=%s ask=%d", team_id, ask.id)
        return
    # The ask is stored before this ack; posting it may take a few calls.
    await ack()
    if new:
        await publish(deps, client, respond, ask, lang, notes=notes)


async def handle_ask_anyway(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """ "Ask anyway" (soft policy) or "Check again" (strict): post the held ask if allowed."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    ask = await load_ask(deps, team_id, action.get("value"))
    if ask is None or ask.asker_id != user_id:
        text = (
            views.closed_reason(ask, lang)
            if ask is None
            else t(lang, "asks.only_asker", asker=ask.asker_id)
        )
        await respond(replace_original=False, response_type="ephemeral", text=text)
        return
    if ask.status != HELD:
        text = t(lang, "asks.posted") if ask.is_open else views.closed_reason(ask, lang)
        await respond(replace_original=True, response_type="ephemeral", text=text)
        return
    decision = await check_give_first(deps, team_id, user_id)
    if decision.hold and not decision.allow_anyway:
        # Strict, and still over the threshold: show the up-to-date picture again.
        text, blocks = await give_first_view(deps, ask, decision, lang)
        blocks.insert(0, section(t(lang, "asks.still_held")))
        await respond(replace_original=True, response_type="ephemeral", text=text, blocks=blocks)
        return
    if busy := await busy_named(deps, ask):  # before it is posted, as from /ask itself
        text, blocks = await busy_view(deps, ask, busy, lang)
        await respond(replace_original=True, response_type="ephemeral", text=text, blocks=blocks)
        return
    if not await deps.store.asks.publish(team_id=team_id, ask_id=ask.id, now=deps.clock()):
        await respond(replace_original=True, response_type="ephemeral", text=t(lang, "asks.posted"))
        return  # a double click: the other press posted it
    posted = await deps.store.asks.get(team_id=team_id, ask_id=ask.id)
    assert posted is not None
    await publish(deps, client, respond, posted, lang, notes=[], replace_original=True)


async def show_board(inv: Invocation) -> None:
    """``/giveback asks``: every open ask, oldest first, with "I can help" buttons."""
    asks = await inv.deps.store.asks.open_asks(inv.team_id, limit=views.BOARD_MAX)
    total = await inv.deps.store.asks.count_open(inv.team_id)
    helped_me = await helped_by(inv.deps, inv.team_id, inv.user_id, asks)
    text, blocks = views.board(
        asks,
        viewer=inv.user_id,
        helped_me=helped_me,
        total=total,
        lang=inv.lang,
    )
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)
