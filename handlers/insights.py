"""``/giveback network``, ``/giveback top`` and ``/giveback forget me`` (with its buttons)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.network import (
    VIEW_LIMIT,
    parse_top,
    period_start,
    rank_breadth,
    real_network,
    thank_back,
)
from bot.i18n.catalog import t
from bot.services.deps import Deps
from bot.services.directory import LookupFailed
from bot.services.home import refresh_home
from bot.services.privacy import forget_person
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import ids
from bot.views.insights import forget_confirmation, leaderboard, network_message
from handlers.subcommands import Invocation, Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    subcommands.add("network", show_network)
    subcommands.add("top", show_top)
    subcommands.add("forget", ask_forget)
    app.action(ids.FORGET_CONFIRM)(acks_early(handle_forget_confirm))
    app.action(ids.FORGET_CANCEL)(acks_early(handle_forget_cancel))


async def show_network(inv: Invocation) -> None:
    counterparts = await inv.deps.store.insights.counterparts(
        team_id=inv.team_id, user_id=inv.user_id, limit=VIEW_LIMIT
    )
    try:
        tz = (await inv.deps.directory.profile(inv.client, inv.team_id, inv.user_id)).tz
    except LookupFailed:
        tz = None
    text, blocks = network_message(
        real_network(counterparts), thank_back(counterparts), inv.lang, tz, inv.deps.clock()
    )
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)


async def show_top(inv: Invocation) -> None:
    request = parse_top(inv.args)
    if request.error is not None:
        word = request.error.replace("`", "'")
        await inv.ack(response_type="ephemeral", text=t(inv.lang, "top.unknown", word=word))
        return
    if request.visibility is not None:
        hide = request.visibility == "hide"
        await inv.deps.set_preferences(inv.team_id, inv.user_id, hide_from_top=hide)
        key = "top.hidden" if hide else "top.shown"
        await inv.ack(response_type="ephemeral", text=t(inv.lang, key))
        return
    if not (await inv.deps.workspace(inv.team_id)).leaderboard:
        await inv.ack(response_type="ephemeral", text=t(inv.lang, "top.off"))
        return
    assert request.period is not None
    # Acknowledged first: an all-time ranking of a large workspace can take a second or two.
    await inv.ack()
    rows = await inv.deps.store.insights.breadth(
        team_id=inv.team_id, since=period_start(request.period, inv.deps.clock())
    )
    text, blocks = leaderboard(rank_breadth(rows), request.period, inv.lang)
    await inv.respond(response_type="ephemeral", text=text, blocks=blocks)


async def ask_forget(inv: Invocation) -> None:
    if inv.args.strip().lower() != "me":
        await inv.ack(response_type="ephemeral", text=t(inv.lang, "forget.usage"))
        return
    text, blocks = forget_confirmation(inv.lang)
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)


async def handle_forget_confirm(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """Whoever clicks is the one forgotten: the button never names anyone else."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    # Looked up before forgetting: afterwards nothing should re-cache who they were.
    lang = await deps.language(client, team_id, user_id)
    await forget_person(deps, client, team_id, user_id)
    await respond(replace_original=True, response_type="ephemeral", text=t(lang, "forget.done"))
    await refresh_home(
        client, deps, team_id, [user_id], lang=lang, lookup_profile=False, seen_only=False
    )


async def handle_forget_cancel(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    await ack()
    lang = await deps.language(client, team_of(context), body["user"]["id"])
    await respond(
        replace_original=True, response_type="ephemeral", text=t(lang, "forget.cancelled")
    )
