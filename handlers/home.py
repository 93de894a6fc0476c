"""The App Home tab: opening it, its buttons (thank someone, nudges and offers on or off) and
the "Thank someone" modal, which the global shortcut of the same name opens too."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n.catalog import t
from bot.services.announce import News, tell_helpers
from bot.services.deps import Deps
from bot.services.home import publish_home, refresh_home
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import ids
from bot.views.blocks import people
from bot.views.thanks import modal_request, thanks_done_modal, thanks_modal, thanks_problems
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.event("app_home_opened")(acks_early(handle_app_home_opened))
    app.action(ids.THANK_BUTTON)(acks_early(handle_thank_button))
    app.shortcut(ids.THANKS_GLOBAL)(acks_early(handle_thank_button))
    app.action(ids.NUDGES_TOGGLE)(acks_early(handle_nudges_toggle))
    app.action(ids.DETECT_TOGGLE)(acks_early(handle_detect_toggle))
    app.view(ids.THANKS_MODAL)(acks_early(handle_thanks_modal))


async def handle_app_home_opened(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    if event.get("tab", "home") != "home":
        return
    team_id = team_of(context)
    await publish_home(client, deps, team_id, event["user"])
    await deps.set_preferences(team_id, event["user"], home_seen=True)


async def handle_thank_button(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    """Home's "Thank someone" button, or the global shortcut: the same form."""
    await ack()
    lang = await deps.language(client, team_of(context), body["user"]["id"])
    await client.views_open(trigger_id=body["trigger_id"], view=thanks_modal(lang))


async def _set_preference(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
    name: str,
) -> None:
    """Set (not flip) the preference to the state the button carries: double clicks are harmless."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    wanted = body["actions"][0].get("value") == "on"
    await deps.set_preferences(team_id, user_id, **{name: wanted})
    await publish_home(client, deps, team_id, user_id)


async def handle_nudges_toggle(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    await _set_preference(ack, body, context, client, deps, "nudges")


async def handle_detect_toggle(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    await _set_preference(ack, body, context, client, deps, "detect_thanks")


async def handle_thanks_modal(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    view: dict[str, Any],
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = view.get("private_metadata") or await deps.language(client, team_id, user_id)
    request = modal_request(view, user_id)
    if request.empty:
        key = "modal.error_self" if request.self_mentioned else "modal.error_nobody"
        await ack(response_action="errors", errors={ids.HELPERS_INPUT: t(lang, key)})
        return
    outcome = await give_thanks(
        deps,
        client,
        team_id=team_id,
        giver=user_id,
        request=request,
        source="modal",
        channel_id=None,
        # The view id is the same however often the same modal is submitted.
        key=f"modal:{view['id']}",
    )
    if not outcome.helpers:
        problems = [p for p in thanks_problems(outcome, lang) if p] or [
            t(lang, "modal.error_nobody")
        ]
        await ack(response_action="errors", errors={ids.HELPERS_INPUT: " ".join(problems)[:1000]})
        return
    lines = [t(lang, "modal.done", helpers=people(outcome.helpers, lang))]
    if outcome.to_announce:
        lines.append(t(lang, "reach.modal_told" if request.note else "reach.modal_told_no_note"))
    if outcome.uncounted:
        lines.append(t(lang, "thanks.capped", helpers=people(outcome.uncounted, lang)))
    lines += [p for p in thanks_problems(outcome, lang) if p]
    await ack(response_action="update", view=thanks_done_modal("\n".join(lines), lang))
    log.info("thanks recorded team=%s helpers=%d source=modal", team_id, len(outcome.recorded))
    # Nobody sees this form but the thanker: the people thanked hear of it by DM.
    news = News(team_id, user_id, outcome.to_announce, outcome.request.note, lang)
    await tell_helpers(
        deps, client, news, lambda text: client.chat_postMessage(channel=user_id, text=text)
    )
    await refresh_home(client, deps, team_id, [user_id, *outcome.helpers])
