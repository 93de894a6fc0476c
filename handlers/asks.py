"""``/ask``: the give-first check, posting an ask, the held ask's buttons ("Post it now",
"Check again", "I can help" on a suggested ask, which posts it too), and ``/giveback asks``."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import ASK_TEXT_MAX, HELD, Ask, is_urgent, parse_ask
from bot.i18n.catalog import t
from bot.services.asks import (
    check_give_first,
    give_first_view,
    helped_by,
    load_ask,
    offer_help,
    post_held,
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
    app.action(ids.OFFER_AND_POST)(acks_early(handle_offer_and_post))
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
    check = await check_give_first(deps, team_id, user_id, urgent=request.urgent)
    named = [u for u in request.asked if u not in bots]
    busy = await busy_among(deps, team_id, named)
    ask, new = await deps.store.asks.create(
        team_id=team_id,
        asker_id=user_id,
        text=request.text,
        channel_id=command.get("channel_id"),
        asked=named,
        held=check.decision.hold or bool(busy),  # busy people named: said before it is posted
        now=now,
        key=f"cmd:{command['trigger_id']}",
    )
    if ask.status == HELD and not check.decision.hold:
        text, blocks = await busy_view(deps, ask, busy or await busy_named(deps, ask), lang)
        await ack(response_type="ephemeral", text=text, blocks=blocks)
        return
    if ask.status == HELD:
        text, blocks = give_first_view(check, ask, lang)
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
    """ "Post it now" (soft policy) or "Check again" (strict): post the held ask if allowed."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    ask = await _own_held_ask(deps, respond, team_id, user_id, action.get("value"), lang)
    if ask is None:
        return
    check = await check_give_first(deps, team_id, user_id, urgent=is_urgent(ask.text))
    if check.decision.hold and not check.decision.allow_anyway:
        # Strict, and their asks still outnumber their giving: the asks to help with, afresh.
        text, blocks = give_first_view(check, ask, lang)
        blocks.insert(0, section(t(lang, "asks.still_held")))
        await respond(replace_original=True, response_type="ephemeral", text=text, blocks=blocks)
        return
    await _post_unless_busy(deps, client, respond, ask, lang, notes=[])


async def handle_offer_and_post(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """ "I can help" on an ask the give-first reply suggested: the offer is recorded (and
    counts as giving), its asker hears of it, and the held ask is posted at once, in any
    policy: one offer is all it takes."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    pair = ids.parse_offer_and_post(action.get("value"))
    ask = await _own_ask(deps, respond, team_id, user_id, pair and pair[1], lang)
    if pair is None or ask is None:
        return
    other = await deps.store.asks.get(team_id=team_id, ask_id=pair[0])
    offered, line = await offer_help(deps, client, other, user_id, lang)
    if offered and ask.status == HELD:
        await _post_unless_busy(deps, client, respond, ask, lang, notes=[line])
        return
    # That ask closed meanwhile (theirs stays ready: Post it now, or Check again), or theirs
    # went out already (Post it now, pressed first): the offer stands on its own.
    await respond(replace_original=False, response_type="ephemeral", text=line)


async def _post_unless_busy(
    deps: Deps, client: AsyncWebClient, respond: AsyncRespond, ask: Ask, lang: str, notes: list[str]
) -> None:
    """Post the held ask, unless someone it names is busy: that is said before it is posted."""
    if busy := await busy_named(deps, ask):
        text, blocks = await busy_view(deps, ask, busy, lang)
        await respond(replace_original=True, response_type="ephemeral", text=text, blocks=blocks)
        return
    await post_held(deps, client, respond, ask, lang, notes=notes)


async def _own_ask(
    deps: Deps, respond: AsyncRespond, team_id: str, user_id: str, value: object, lang: str
) -> Ask | None:
    """The ask a button names, if it is the presser's; else say why not."""
    ask = await load_ask(deps, team_id, value)
    if ask is None or ask.asker_id != user_id:
        text = (
            views.closed_reason(ask, lang)
            if ask is None
            else t(lang, "asks.only_asker", asker=ask.asker_id)
        )
        await respond(replace_original=False, response_type="ephemeral", text=text)
        return None
    return ask


async def _own_held_ask(
    deps: Deps, respond: AsyncRespond, team_id: str, user_id: str, value: object, lang: str
) -> Ask | None:
    """The held ask a button names, if it is the presser's and still held; else say why not."""
    ask = await _own_ask(deps, respond, team_id, user_id, value, lang)
    if ask is not None and ask.status != HELD:
        text = t(lang, "asks.posted") if ask.is_open else views.closed_reason(ask, lang)
        await respond(replace_original=True, response_type="ephemeral", text=text)
        return None
    return ask


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
