"""``/ask``: the give-first check, posting an ask, "Ask anyway", and ``/giveback asks``."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import (
    ASK_TEXT_MAX,
    HELD,
    SHOWN_UNRETURNED,
    Ask,
    GiveFirst,
    give_first,
    over_asked,
    parse_ask,
    suggest_asks,
    suggest_helpers,
)
from bot.i18n.catalog import t
from bot.services.deps import Deps
from bot.slack.acking import acks_early
from bot.views import asks as render_asks
from bot.views.blocks import people
from handlers.ask_actions import closed_reason, load_pressed
from storage.asks import AskMessage

if TYPE_CHECKING:
    from handlers.commands import Invocation

log = logging.getLogger(__name__)
SUGGESTION_POOL = 50  # open asks considered when picking three to suggest


def register(app: AsyncApp) -> None:
    app.command("/ask")(acks_early(handle_ask))
    app.action(render_asks.ANYWAY)(acks_early(handle_ask_anyway))
    app.action(render_asks.RECHECK)(acks_early(handle_ask_anyway))


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
    bots = [u for u, p in profiles.items() if p is not None and (p.is_bot or p.deleted)]
    notes = [t(lang, "asks.bots", people=people(bots, lang))] if bots else []
    if request.self_mentioned:
        notes.append(t(lang, "asks.self"))
    if request.plain_at:
        notes.append(t(lang, "asks.plain_at"))
    if request.truncated:
        notes.append(t(lang, "thanks.truncated", limit=ASK_TEXT_MAX))
    now = deps.clock()
    decision = await check_give_first(deps, team_id, user_id)
    ask, new = await deps.store.asks.create(
        team_id=team_id,
        asker_id=user_id,
        text=request.text,
        channel_id=command.get("channel_id"),
        asked=[u for u in request.asked if u not in bots],
        held=decision.hold,
        now=now,
        key=f"cmd:{command['trigger_id']}",
    )
    if ask.status == HELD:
        text, blocks = await give_first_view(deps, ask, decision, lang)
        await ack(response_type="ephemeral", text=text, blocks=blocks)
        log.info("ask held team=%s asker=%s taken=%d", team_id, user_id, decision.balance.taken)
        return
    # The ask is stored before this ack; posting it may take a few calls.
    await ack()
    if new:
        await publish(deps, client, respond, ask, lang, notes=notes)


async def check_give_first(deps: Deps, team_id: str, user_id: str) -> GiveFirst:
    """The give-first decision from the running totals, over the workspace's window."""
    settings = await deps.workspace(team_id)
    since = deps.clock() - timedelta(days=settings.window_days)
    ledger = await deps.store.events.ledger(team_id=team_id, user_id=user_id, since=since, top=0)
    return give_first(ledger.balance, settings)


async def helped_by(deps: Deps, team_id: str, user_id: str, asks: list[Ask]) -> dict[str, int]:
    """How often each of these asks' authors helped ``user_id``, all time."""
    askers = sorted({a.asker_id for a in asks})
    return await deps.store.activity.help_from(team_id, user_id, askers)


async def give_first_view(
    deps: Deps, ask: Ask, decision: GiveFirst, lang: str
) -> tuple[str, list[dict[str, Any]]]:
    settings = await deps.workspace(ask.team_id)
    since = deps.clock() - timedelta(days=settings.window_days)
    unreturned = await deps.store.activity.unreturned(ask.team_id, ask.asker_id, since=since)
    pool = await deps.store.asks.open_asks(
        ask.team_id, exclude_user=ask.asker_id, limit=SUGGESTION_POOL
    )
    helpers = await helped_by(deps, ask.team_id, ask.asker_id, pool)
    return render_asks.give_first_reply(
        decision,
        ask,
        unreturned=[p.user_id for p in unreturned[:SHOWN_UNRETURNED]],
        suggestions=suggest_asks(pool, ask.asker_id, helpers),
        helped_me=helpers,
        window_days=settings.window_days,
        lang=lang,
    )


async def handle_ask_anyway(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """ "Ask anyway" (soft policy) or "Check again" (strict): post the held ask if allowed."""
    await ack()
    ask, team_id, user_id, lang = await load_pressed(body, action, client, deps)
    if ask is None or ask.asker_id != user_id:
        text = (
            closed_reason(ask, lang)
            if ask is None
            else t(lang, "asks.only_asker", asker=ask.asker_id)
        )
        await respond(replace_original=False, response_type="ephemeral", text=text)
        return
    if ask.status != HELD:
        text = t(lang, "asks.posted") if ask.is_open else closed_reason(ask, lang)
        await respond(replace_original=True, response_type="ephemeral", text=text)
        return
    decision = await check_give_first(deps, team_id, user_id)
    if decision.hold and not decision.allow_anyway:
        # Strict, and still over the threshold: show the up-to-date picture again.
        text, blocks = await give_first_view(deps, ask, decision, lang)
        blocks.insert(0, render_asks.section(t(lang, "asks.still_held")))
        await respond(replace_original=True, response_type="ephemeral", text=text, blocks=blocks)
        return
    if not await deps.store.asks.publish(team_id=team_id, ask_id=ask.id, now=deps.clock()):
        await respond(replace_original=True, response_type="ephemeral", text=t(lang, "asks.posted"))
        return  # a double click: the other press posted it
    posted = await deps.store.asks.get(team_id=team_id, ask_id=ask.id)
    assert posted is not None
    await publish(deps, client, respond, posted, lang, notes=[], replace_original=True)


async def publish(
    deps: Deps,
    client: AsyncWebClient,
    respond: AsyncRespond,
    ask: Ask,
    lang: str,
    *,
    notes: list[str],
    replace_original: bool = False,
) -> None:
    """Post an open ask in its channel and DM it to each person named; tell the asker."""
    posted = await post_in_channel(deps, client, ask, lang)
    lines = [t(lang, "asks.posted" if posted else "asks.not_in_channel")]
    for person in ask.asked:
        person_lang = await deps.language(client, ask.team_id, person)
        dm_text, dm_blocks = render_asks.ask_message(ask, person_lang, kind="dm")
        try:
            sent = await client.chat_postMessage(channel=person, text=dm_text, blocks=dm_blocks)
        except SlackApiError as exc:
            log.warning("could not DM ask %d to %s: %s", ask.id, person, exc.response.get("error"))
            continue
        await deps.store.asks.add_message(
            ask.team_id, AskMessage(ask.id, sent["channel"], sent["ts"], "dm", person_lang)
        )
    lines += notes
    busy_note = await over_asked_note(deps, ask, lang)
    if busy_note:
        lines.append(busy_note)
    await respond(
        replace_original=replace_original, response_type="ephemeral", text="\n".join(lines)
    )


async def post_in_channel(deps: Deps, client: AsyncWebClient, ask: Ask, lang: str) -> bool:
    if not ask.channel_id:
        return False
    text, blocks = render_asks.ask_message(ask, lang, kind="channel")
    try:
        sent = await client.chat_postMessage(channel=ask.channel_id, text=text, blocks=blocks)
    except SlackApiError as exc:  # not_in_channel, channel_not_found: the board still lists it
        log.info("ask %d not posted in %s: %s", ask.id, ask.channel_id, exc.response.get("error"))
        return False
    await deps.store.asks.add_message(
        ask.team_id, AskMessage(ask.id, sent["channel"], sent["ts"], "channel", lang)
    )
    return True


async def over_asked_note(deps: Deps, ask: Ask, lang: str) -> str | None:
    """Someone named already has many open asks waiting: say so, and who else could help."""
    if not ask.asked:
        return None
    settings = await deps.workspace(ask.team_id)
    counts = await deps.store.asks.open_counts(ask.team_id, ask.asked, exclude_ask=ask.id)
    busy = over_asked(ask.asked, counts, limit=settings.busy_asks)
    if not busy:
        return None
    since = deps.clock() - timedelta(days=settings.window_days)
    helpers = await deps.store.asks.ask_helpers(ask.team_id, since=since)
    load = await deps.store.asks.open_counts(ask.team_id, [p.user_id for p in helpers])
    others = suggest_helpers(
        helpers, exclude=[ask.asker_id, *ask.asked], busy=load, busy_limit=settings.busy_asks
    )
    return render_asks.over_asked_note(busy, others, lang)


async def show_board(inv: Invocation) -> None:
    """``/giveback asks``: every open ask, oldest first, with "I can help" buttons."""
    asks = await inv.deps.store.asks.open_asks(inv.team_id, limit=render_asks.BOARD_MAX)
    total = await inv.deps.store.asks.count_open(inv.team_id)
    helped_me = await helped_by(inv.deps, inv.team_id, inv.user_id, asks)
    text, blocks = render_asks.board(
        asks,
        viewer=inv.user_id,
        helped_me=helped_me,
        total=total,
        lang=inv.lang,
    )
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)
