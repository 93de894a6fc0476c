"""The App Home tab: published on open and after every change that concerns the person."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import Ask, suggest_asks
from bot.domain.network import VIEW_LIMIT, is_anonymous, real_network, thank_back
from bot.domain.parsing import ThanksRequest, clean_note
from bot.i18n.catalog import t
from bot.services.deps import Deps
from bot.services.directory import LookupFailed
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.views.blocks import people
from bot.views.home import (
    DETECT_TOGGLE,
    NUDGES_TOGGLE,
    THANK_BUTTON,
    THANKS_MODAL,
    HomeData,
    build_home,
    thanks_done_modal,
    thanks_modal,
)
from handlers.asks import helped_by

log = logging.getLogger(__name__)
SUGGESTION_POOL = 50  # open asks considered when picking the few to show
HOME_ASKS = 5


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(acks_early(handle_app_home_opened))
    app.action(THANK_BUTTON)(acks_early(handle_thank_button))
    app.action(NUDGES_TOGGLE)(acks_early(handle_nudges_toggle))
    app.action(DETECT_TOGGLE)(acks_early(handle_detect_toggle))
    app.view(THANKS_MODAL)(acks_early(handle_thanks_modal))


async def open_asks_for(deps: Deps, team_id: str, user_id: str) -> list[Ask]:
    """Open asks by others that ``user_id`` could help with, people who helped them first."""
    pool = await deps.store.asks.open_asks(team_id, exclude_user=user_id, limit=SUGGESTION_POOL)
    helped_me = await helped_by(deps, team_id, user_id, pool)
    return suggest_asks(pool, user_id, helped_me, limit=HOME_ASKS)


async def home_data(
    client: AsyncWebClient, deps: Deps, team_id: str, user_id: str, *, lookup_profile: bool = True
) -> HomeData:
    window = (await deps.workspace(team_id)).window_days
    since = deps.clock() - timedelta(days=window)
    ledger, counterparts, prefs = await asyncio.gather(
        deps.store.events.ledger(team_id=team_id, user_id=user_id, since=since, top=0),
        deps.store.insights.counterparts(team_id=team_id, user_id=user_id, limit=VIEW_LIMIT),
        deps.store.preferences.user(team_id, user_id),
    )
    asks = await open_asks_for(deps, team_id, user_id)
    tz = None
    if lookup_profile:
        try:
            tz = (await deps.directory.profile(client, team_id, user_id)).tz
        except LookupFailed:
            pass
    return HomeData(
        user_id=user_id,
        ledger=ledger,
        window_days=window,
        network=real_network(counterparts),
        thank_back=thank_back(counterparts),
        asks=asks,
        nudges=prefs.nudges,
        detect_thanks=prefs.detect_thanks,
        tz=tz,
    )


async def publish_home(
    client: AsyncWebClient,
    deps: Deps,
    team_id: str,
    user_id: str,
    *,
    lang: str | None = None,
    lookup_profile: bool = True,
) -> None:
    """Build and publish one person's Home tab (``lookup_profile=False``: use only ``lang``)."""
    lang = lang or await deps.language(client, team_id, user_id)
    data = await home_data(client, deps, team_id, user_id, lookup_profile=lookup_profile)
    await client.views_publish(user_id=user_id, view=build_home(data, lang, deps.clock()))


async def refresh_home(
    client: AsyncWebClient,
    deps: Deps,
    team_id: str,
    users: Iterable[str],
    *,
    lang: str | None = None,
    lookup_profile: bool = True,
    seen_only: bool = True,
) -> None:
    """Republish the Home tab of everyone a change concerns. Never raises: the change is made.

    Every surface that records help or changes a preference calls this after its reply.
    Opening the tab always publishes it fresh, so only people who have opened it before
    (``seen_only``) need a republish; the rest cost nothing, which matters under load.
    """
    targets = [u for u in dict.fromkeys(users) if u and not is_anonymous(u)]
    if seen_only:
        targets = [u for u in targets if (await deps.store.preferences.user(team_id, u)).home_seen]
    if not targets:
        return
    results = await asyncio.gather(
        *(
            publish_home(client, deps, team_id, u, lang=lang, lookup_profile=lookup_profile)
            for u in targets
        ),
        return_exceptions=True,
    )
    for user_id, result in zip(targets, results, strict=True):
        if isinstance(result, SlackApiError | LookupFailed | OSError | TimeoutError):
            log.warning("home tab not refreshed team=%s user=%s: %s", team_id, user_id, result)
        elif isinstance(result, BaseException):
            raise result


async def handle_app_home_opened(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    if event.get("tab", "home") != "home":
        return
    team_id = context.team_id or ""
    await publish_home(client, deps, team_id, event["user"])
    await deps.set_preferences(team_id, event["user"], home_seen=True)


async def handle_thank_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    lang = await deps.language(client, body["team"]["id"], body["user"]["id"])
    await client.views_open(trigger_id=body["trigger_id"], view=thanks_modal(lang))


async def _set_preference(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps, name: str
) -> None:
    """Set (not flip) the preference to the state the button carries: double clicks are harmless."""
    await ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    wanted = body["actions"][0].get("value") == "on"
    await deps.set_preferences(team_id, user_id, **{name: wanted})
    await publish_home(client, deps, team_id, user_id)


async def handle_nudges_toggle(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> None:
    await _set_preference(ack, body, client, deps, "nudges")


async def handle_detect_toggle(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> None:
    await _set_preference(ack, body, client, deps, "detect_thanks")


def modal_request(view: dict[str, Any], user_id: str) -> ThanksRequest:
    """The modal's state as a thanks request (what ``parse_thanks`` makes of typed text)."""
    values = view.get("state", {}).get("values", {})
    chosen = values.get("helpers", {}).get("helpers", {}).get("selected_users") or []
    raw_note = values.get("note", {}).get("note", {}).get("value") or ""
    note, truncated = clean_note(raw_note)
    return ThanksRequest(
        receivers=tuple(dict.fromkeys(u for u in chosen if u != user_id)),
        note=note,
        note_truncated=truncated,
        self_mentioned=user_id in chosen,
    )


async def handle_thanks_modal(
    ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> None:
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    lang = view.get("private_metadata") or await deps.language(client, team_id, user_id)
    request = modal_request(view, user_id)
    if request.empty:
        key = "modal.error_self" if request.self_mentioned else "modal.error_nobody"
        await ack(response_action="errors", errors={"helpers": t(lang, key)})
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
        problems = [p for p in outcome.problems(lang) if p] or [t(lang, "modal.error_nobody")]
        await ack(response_action="errors", errors={"helpers": " ".join(problems)[:1000]})
        return
    lines = [t(lang, "modal.done", helpers=people(outcome.helpers, lang))]
    lines += [p for p in outcome.problems(lang) if p]
    await ack(response_action="update", view=thanks_done_modal("\n".join(lines), lang))
    log.info("thanks recorded team=%s helpers=%d source=modal", team_id, len(outcome.recorded))
    await refresh_home(client, deps, team_id, [user_id, *outcome.helpers])
