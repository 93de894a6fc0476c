"""Asks that close: "Not this time", withdrawing (the people who offered hear of it), the one
check-in, "Keep it open" / "Still need help", and closing unanswered asks by themselves.

Every change is a guarded transition in the store (a double click changes nothing twice); these
functions tell the people concerned, each in their own language.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import Ask
from bot.domain.followup import days_left, unanswered_for
from bot.services.asks import refresh_messages, show_fresh
from bot.services.deps import Deps
from bot.services.suggest import who_could_help
from bot.views import followup as views

log = logging.getLogger(__name__)
BUMP_EVERY = timedelta(days=1)  # "Still need help" brings an ask up in its channel this seldom


async def tell_offerers_withdrawn(deps: Deps, client: AsyncWebClient, ask: Ask) -> None:
    """The ask was withdrawn: everyone who offered hears it, and is thanked for offering."""
    for person in ask.offers:
        lang = await deps.language(client, ask.team_id, person)
        text, blocks = views.withdrawn_for_offerer(ask, lang)
        try:
            await client.chat_postMessage(channel=person, text=text, blocks=blocks)
        except SlackApiError as exc:
            log.info("offerer of ask %d not told: %s", ask.id, exc.response.get("error"))


async def decline(deps: Deps, client: AsyncWebClient, ask: Ask, user_id: str) -> bool:
    """``user_id`` cannot help with ``ask`` this time: their copy stops being updated, and the
    asker hears it kindly, with others who could help. False if they had said so already."""
    if not await deps.store.asks.decline(
        team_id=ask.team_id, ask_id=ask.id, user_id=user_id, now=deps.clock()
    ):
        return False
    await deps.store.ask_messages.drop_copy_for(
        team_id=ask.team_id, ask_id=ask.id, recipient=user_id
    )
    fresh = await show_fresh(deps, client, ask)
    lang = await deps.language(client, ask.team_id, ask.asker_id)
    others = await who_could_help(
        deps,
        ask.team_id,
        ask.asker_id,
        ask.text,
        named=[*fresh.asked, *fresh.declined, *fresh.offers],
        exclude_ask=ask.id,
    )
    text, blocks = views.declined_for_asker(fresh, user_id, others, lang)
    await client.chat_postMessage(channel=ask.asker_id, text=text, blocks=blocks)
    return True


async def keep_open(deps: Deps, ask: Ask, lang: str) -> str:
    """The asker still needs help: the clocks restart; what to tell them."""
    now = deps.clock()
    await deps.store.asks.touch(team_id=ask.team_id, ask_id=ask.id, now=now)
    settings = await deps.workspace(ask.team_id)
    touched = await deps.store.asks.get(team_id=ask.team_id, ask_id=ask.id)
    return views.kept_open(days_left(touched or ask, now, settings.autoclose_days), lang)


async def still_need(deps: Deps, client: AsyncWebClient, ask: Ask, lang: str) -> str:
    """ "Still need help": the clocks restart and the ask comes up again in its channel's
    thread (in the channel's language), with "I can help"; at most once a day."""
    now = deps.clock()
    recently = ask.touched_at is not None and now - ask.touched_at < BUMP_EVERY
    await deps.store.asks.touch(team_id=ask.team_id, ask_id=ask.id, now=now)
    copies = await deps.store.ask_messages.of(team_id=ask.team_id, ask_id=ask.id)
    posted = next((m for m in copies if m.kind == "channel"), None)
    if posted is None or recently:
        return views.still_open_note(lang)
    text, blocks = views.still_needed(ask, posted.lang)
    try:
        await client.chat_postMessage(
            channel=posted.channel_id, thread_ts=posted.ts, text=text, blocks=blocks
        )
    except SlackApiError as exc:
        log.info("ask %d not brought up again: %s", ask.id, exc.response.get("error"))
        return views.still_open_note(lang)
    return views.brought_up_note(lang)


async def close_unanswered(deps: Deps, client: AsyncWebClient, team_id: str, now: datetime) -> int:
    """Close every open ask nobody offered on within the workspace's autoclose_days; each of
    its copies says so. The asker's note goes out with the sweep (:func:`autoclosed_notes`)."""
    days = (await deps.workspace(team_id)).autoclose_days
    closed = 0
    for ask in await deps.store.asks.open_asks(team_id):
        if not unanswered_for(ask, now, days):
            continue
        if await deps.store.asks.withdraw(team_id=team_id, ask_id=ask.id, now=now, by="auto"):
            closed += 1
            fresh = await deps.store.asks.get(team_id=team_id, ask_id=ask.id)
            if fresh is not None:
                await refresh_messages(deps, client, fresh)
    if closed:
        log.info("asks closed by themselves team=%s count=%d", team_id, closed)
    return closed


async def offered_on_my_ask(
    deps: Deps, team_id: str, thanker: str, helpers: Collection[str]
) -> tuple[Ask, tuple[str, ...]] | None:
    """The thanker's newest open ask that some of ``helpers`` offered on, and those people: a
    /thanks for them is probably for that ask, and resolving it thanks them once."""
    for ask in await deps.store.asks.open_of(team_id, thanker):
        offered = tuple(h for h in helpers if h in ask.offers)
        if offered:
            return ask, offered
    return None
