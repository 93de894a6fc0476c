"""Buttons and the modal on an ask: "I can help", "Resolved" (pick who helped), "Withdraw".

Every press reloads the ask from the store (its id is the button's value), and every
change is a guarded transition there, so a double click or a replayed submission changes
nothing twice and a closed or deleted ask answers clearly.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import HELD, RESOLVED, Ask
from bot.domain.parsing import clean_note
from bot.i18n.catalog import t
from bot.services.deps import Deps
from bot.slack.acking import acks_early
from bot.views import asks as render_asks
from bot.views.blocks import people

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    app.action(render_asks.OFFER)(acks_early(handle_offer))
    app.action(render_asks.RESOLVE)(acks_early(handle_resolve))
    app.action(render_asks.WITHDRAW)(acks_early(handle_withdraw))
    app.view(render_asks.RESOLVE_VIEW)(acks_early(handle_resolve_submission))


def closed_reason(ask: Ask | None, lang: str) -> str:
    """Why an ask cannot be acted on any more, in words."""
    if ask is None:
        return t(lang, "asks.gone")
    if ask.status == RESOLVED:
        return t(lang, "asks.already_resolved", helpers=people(ask.helpers, lang))
    if ask.status == HELD:
        return t(lang, "asks.not_posted")
    return t(lang, "asks.already_withdrawn")


def _refusal(ask: Ask | None, user_id: str, lang: str, *, by_asker: bool) -> str | None:
    """Why `user_id` may not act on `ask` (as its asker, or as anyone else); None if they may."""
    if ask is None or not ask.is_open:
        return closed_reason(ask, lang)
    if by_asker and ask.asker_id != user_id:
        return t(lang, "asks.only_asker", asker=ask.asker_id)
    if not by_asker and ask.asker_id == user_id:
        return t(lang, "asks.own_offer")
    return None


async def load_pressed(
    body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> tuple[Ask | None, str, str, str]:
    """The ask a button's value names, with the presser's team, user id and language."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    value = str(action.get("value", ""))
    ask = await deps.store.asks.get(team_id=team_id, ask_id=int(value)) if value.isdigit() else None
    return ask, team_id, user_id, lang


async def _pressed_open_ask(
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
    *,
    by_asker: bool,
) -> tuple[Ask, str, str, str] | None:
    """`load_pressed`, when the presser may act on the ask; otherwise tell them why not."""
    ask, team_id, user_id, lang = await load_pressed(body, action, client, deps)
    reason = _refusal(ask, user_id, lang, by_asker=by_asker)
    if reason is not None:
        await _tell(respond, reason)
        return None
    assert ask is not None  # _refusal() refuses a missing ask
    return ask, team_id, user_id, lang


async def _show_fresh(deps: Deps, client: AsyncWebClient, ask: Ask) -> Ask:
    """The ask as the store has it now, also shown in every copy the bot posted."""
    fresh = await deps.store.asks.get(team_id=ask.team_id, ask_id=ask.id)
    assert fresh is not None
    await refresh_messages(deps, client, fresh)
    return fresh


async def _tell(respond: AsyncRespond, text: str) -> None:
    await respond(replace_original=False, response_type="ephemeral", text=text)


async def handle_offer(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    await ack()
    pressed = await _pressed_open_ask(body, action, client, respond, deps, by_asker=False)
    if pressed is None:
        return
    ask, team_id, user_id, lang = pressed
    if not await deps.store.asks.offer(
        team_id=team_id, ask_id=ask.id, user_id=user_id, now=deps.clock()
    ):
        fresh = await deps.store.asks.get(team_id=team_id, ask_id=ask.id)
        if fresh is None or not fresh.is_open:
            await _tell(respond, closed_reason(fresh, lang))
        else:
            await _tell(respond, t(lang, "asks.already_offered", asker=ask.asker_id))
        return
    log.info("offer team=%s ask=%d helper=%s", team_id, ask.id, user_id)
    fresh = await _show_fresh(deps, client, ask)
    asker_lang = await deps.language(client, team_id, ask.asker_id)
    text, blocks = render_asks.offer_dm(fresh, user_id, asker_lang)
    await client.chat_postMessage(channel=ask.asker_id, text=text, blocks=blocks)
    await _tell(respond, t(lang, "asks.offered", asker=ask.asker_id))


async def handle_resolve(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """Open the "who helped?" modal (only for the asker, only while the ask is open)."""
    await ack()
    pressed = await _pressed_open_ask(body, action, client, respond, deps, by_asker=True)
    if pressed is None:
        return
    ask, _team_id, _user_id, lang = pressed
    await client.views_open(
        trigger_id=body["trigger_id"], view=render_asks.resolve_modal(ask, lang)
    )


async def handle_resolve_submission(
    ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> None:
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    metadata = json.loads(view.get("private_metadata") or "{}")
    ask = await deps.store.asks.get(team_id=team_id, ask_id=int(metadata.get("ask", -1)))
    if ask is not None and ask.status == RESOLVED and ask.asker_id == user_id:
        await ack()  # submitted twice: the first submission already did everything
        return
    reason = _refusal(ask, user_id, lang, by_asker=True)
    if reason is not None:
        await ack(response_action="errors", errors={"helpers": reason})
        return
    assert ask is not None  # _refusal() refuses a missing ask
    values = view["state"]["values"]
    selected = values.get("helpers", {}).get("helpers", {}).get("selected_users") or []
    helpers = tuple(dict.fromkeys(u for u in selected if u != user_id))
    error = await _check_helpers(deps, client, team_id, helpers, picked_self=user_id in selected)
    if error:
        await ack(response_action="errors", errors={"helpers": t(lang, *error)})
        return
    note_value = values.get("note", {}).get("note", {}).get("value") or ""
    settings = await deps.workspace(team_id)
    now = deps.clock()
    resolved = await deps.store.asks.resolve(
        ask=ask,
        helpers=helpers,
        note=clean_note(ask.text)[0],
        now=now,
        daily_cap=settings.daily_pair_cap,
    )
    await ack()
    if not resolved:
        return  # a concurrent submission won; it updates the messages
    log.info("ask resolved team=%s ask=%d helpers=%d", team_id, ask.id, len(helpers))
    fresh = await _show_fresh(deps, client, ask)
    note, _ = clean_note(note_value)
    for helper in helpers:
        helper_lang = await deps.language(client, team_id, helper)
        text, blocks = render_asks.helper_thanks_dm(fresh, note, helper_lang)
        await client.chat_postMessage(channel=helper, text=text, blocks=blocks)


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
    if any(p is not None and (p.is_bot or p.deleted) for p in profiles.values()):
        return ("asks.resolve_bots",)
    return None


async def handle_withdraw(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    await ack()
    pressed = await _pressed_open_ask(body, action, client, respond, deps, by_asker=True)
    if pressed is None:
        return
    ask, team_id, _user_id, lang = pressed
    if not await deps.store.asks.withdraw(team_id=team_id, ask_id=ask.id, now=deps.clock()):
        fresh = await deps.store.asks.get(team_id=team_id, ask_id=ask.id)
        await _tell(respond, closed_reason(fresh, lang))
        return
    log.info("ask withdrawn team=%s ask=%d", team_id, ask.id)
    await _show_fresh(deps, client, ask)
    await _tell(respond, t(lang, "asks.withdrawn"))


async def refresh_messages(deps: Deps, client: AsyncWebClient, ask: Ask) -> None:
    """Show the ask's current state in every copy the bot posted."""
    for message in await deps.store.asks.messages(team_id=ask.team_id, ask_id=ask.id):
        text, blocks = render_asks.ask_message(ask, message.lang, kind=message.kind)
        try:
            await client.chat_update(
                channel=message.channel_id, ts=message.ts, text=text, blocks=blocks
            )
        except SlackApiError as exc:  # deleted by someone, or the channel archived
            log.info(
                "ask %d message %s not updated: %s", ask.id, message.ts, exc.response.get("error")
            )
