"""Buttons and the modal on an ask: "I can help", "Resolved" (pick who helped), "Withdraw".

Every press reloads the ask from the store (its id is the button's value), and every
change is a guarded transition there, so a double click or a replayed submission changes
nothing twice and a closed or deleted ask answers clearly.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import RESOLVED, Ask
from bot.i18n.catalog import t
from bot.services.asks import load_ask, offer_help, resolve, show_fresh, thank_helpers
from bot.services.deps import Deps
from bot.services.followup import tell_offerers_withdrawn
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import asks as views
from bot.views import ids
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.action(ids.OFFER)(acks_early(handle_offer))
    app.action(ids.RESOLVE)(acks_early(handle_resolve))
    app.action(ids.WITHDRAW)(acks_early(handle_withdraw))
    app.view(ids.RESOLVE_VIEW)(acks_early(handle_resolve_submission))


async def _load_pressed(
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    deps: Deps,
) -> tuple[Ask | None, str, str, str]:
    """The ask a button's value names, with the presser's team, user id and language."""
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    return await load_ask(deps, team_id, action.get("value")), team_id, user_id, lang


async def _pressed_open_ask(
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
    *,
    by_asker: bool,
) -> tuple[Ask, str, str, str] | None:
    """`load_pressed`, when the presser may act on the ask; otherwise tell them why not."""
    ask, team_id, user_id, lang = await _load_pressed(body, context, action, client, deps)
    reason = views.refusal(ask, user_id, lang, by_asker=by_asker)
    if reason is not None:
        await _tell(respond, reason)
        return None
    assert ask is not None  # views.refusal() refuses a missing ask
    return ask, team_id, user_id, lang


async def _tell(respond: AsyncRespond, text: str) -> None:
    await respond(replace_original=False, response_type="ephemeral", text=text)


async def handle_offer(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """ "I can help": counts as giving the moment it is pressed; the asker hears of it."""
    await ack()
    ask, _team_id, user_id, lang = await _load_pressed(body, context, action, client, deps)
    _offered, line = await offer_help(deps, client, ask, user_id, lang)
    await _tell(respond, line)


async def handle_resolve(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """Open the "who helped?" modal (only for the asker, only while the ask is open)."""
    await ack()
    pressed = await _pressed_open_ask(body, context, action, client, respond, deps, by_asker=True)
    if pressed is None:
        return
    ask, _team_id, _user_id, lang = pressed
    await client.views_open(trigger_id=body["trigger_id"], view=views.resolve_modal(ask, lang))


async def handle_resolve_submission(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    view: dict[str, Any],
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    submitted = views.resolve_submission(view, user_id)
    ask = await deps.store.asks.get(team_id=team_id, ask_id=submitted.ask_id)
    if ask is not None and ask.status == RESOLVED and ask.asker_id == user_id:
        await ack()  # submitted twice: the first submission already did everything
        return
    reason = views.refusal(ask, user_id, lang, by_asker=True)
    if reason is not None:
        await ack(response_action="errors", errors={ids.HELPERS_INPUT: reason})
        return
    assert ask is not None  # views.refusal() refuses a missing ask
    helpers = submitted.helpers
    error = await _check_helpers(deps, client, team_id, helpers, picked_self=submitted.picked_self)
    if error:
        await ack(response_action="errors", errors={ids.HELPERS_INPUT: t(lang, *error)})
        return
    resolved = await resolve(deps, ask, helpers)
    await ack()
    if not resolved:
        return  # a concurrent submission won; it updates the messages
    log.info("ask resolved team=%s ask=%d helpers=%d", team_id, ask.id, len(helpers))
    await thank_helpers(deps, client, ask, helpers, submitted.note)


async def _check_helpers(
    deps: Deps, client: AsyncWebClient, team_id: str, helpers: tuple[str, ...], *, picked_self: bool
) -> tuple[str, ...] | None:
    """A catalogue key (and its params) explaining why the choice cannot be recorded."""
    if not helpers:
        return ("asks.resolve_self",) if picked_self else ("asks.resolve_nobody",)
    profiles = await deps.directory.profiles(client, team_id, helpers)
    unknown = [u for u, p in profiles.items() if p is None]
    if unknown:
        return ("asks.resolve_lookup_failed",)
    if any(p is not None and not p.is_person for p in profiles.values()):
        return ("asks.resolve_bots",)
    return None


async def handle_withdraw(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    await ack()
    pressed = await _pressed_open_ask(body, context, action, client, respond, deps, by_asker=True)
    if pressed is None:
        return
    ask, team_id, _user_id, lang = pressed
    if not await deps.store.asks.withdraw(team_id=team_id, ask_id=ask.id, now=deps.clock()):
        fresh = await deps.store.asks.get(team_id=team_id, ask_id=ask.id)
        await _tell(respond, views.closed_reason(fresh, lang))
        return
    log.info("ask withdrawn team=%s ask=%d", team_id, ask.id)
    fresh = await show_fresh(deps, client, ask)
    await _tell(respond, t(lang, "asks.withdrawn"))
    await tell_offerers_withdrawn(deps, client, fresh)
