"""Thank-you reactions on one message, rolled up into one reply in its thread.

Five people reacting 🙌 to Carol's message make one bot reply ("🙌 Dave, Erin and Bob thanked
@carol for this"), posted by the first reaction and updated in place (``chat.update``) by the
next ones, never broadcast to the channel. Who is named comes from the store (counted reaction
thanks on the message), read again after every post, so reactions that land together all end
up in the reply whichever delivery posts it. A reaction taken back updates it; the last one
taken back deletes it.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.limits import ANNOUNCE
from bot.domain.records import MessageRef
from bot.i18n.catalog import t
from bot.services.announce import News, giver_channel, tell_privately
from bot.services.deps import Deps
from bot.services.limits import allow, first_notice
from bot.views.thanks import reaction_rollup
from storage.rollups import Thanker

log = logging.getLogger(__name__)
SETTLE_ROUNDS = 3  # re-reads after a post: reactions landing meanwhile are shown too


async def roll_up(
    deps: Deps,
    client: AsyncWebClient,
    message: MessageRef,
    *,
    actor: str,
    lang: str,
    may_post: bool = True,
) -> None:
    """Show the message's reaction thanks in its one reply, because ``actor`` reacted (or took
    a reaction back: ``may_post=False``, only an existing reply changes); ``lang`` is the
    actor's, for what only they see. Each post or update takes one of the actor's hourly
    announcements."""
    shown: list[Thanker] | None = None
    for _ in range(SETTLE_ROUNDS):
        thankers = await deps.store.rollups.thankers(message)
        if thankers == shown:
            return
        reply_ts = await deps.store.rollups.reply(message)
        if reply_ts is None and (not thankers or not may_post):
            return
        if shown is None and not await allow(deps, message.team_id, actor, ANNOUNCE):
            await _instead_of_the_reply(deps, client, message, actor, lang, over_allowance=True)
            return
        if reply_ts is None:
            if not await deps.store.rollups.claim_reply(message, now=deps.clock()):
                return  # another delivery is posting it, and reads the reactions again after
            if not await _post(deps, client, message, thankers):
                await _instead_of_the_reply(deps, client, message, actor, lang)
                return
        elif not thankers:
            await _delete(deps, client, message, reply_ts)
            return
        else:
            await _update(deps, client, message, reply_ts, thankers)
        shown = thankers


async def _text(
    deps: Deps, client: AsyncWebClient, message: MessageRef, thankers: list[Thanker]
) -> tuple[str, list[dict[str, object]]]:
    """The reply in the channel's language, naming the reactors (not pinging them)."""
    lang = await deps.channel_language(message.team_id, message.channel_id)
    reactors = tuple(th.reactor_id for th in thankers)
    profiles = await deps.directory.profiles(client, message.team_id, reactors)
    names = [(p.name if p else "") or None for p in profiles.values()]
    return reaction_rollup(thankers[0].helper_id, names, lang)


async def _post(
    deps: Deps, client: AsyncWebClient, message: MessageRef, thankers: list[Thanker]
) -> bool:
    text, blocks = await _text(deps, client, message, thankers)
    try:
        sent = await client.chat_postMessage(
            channel=message.channel_id, thread_ts=message.ts, text=text, blocks=blocks
        )
    except SlackApiError as exc:  # not_in_channel, say: nothing claimed stays behind
        log.info(
            "reaction reply not posted in %s: %s", message.channel_id, exc.response.get("error")
        )
        await deps.store.rollups.set_reply(message, None)
        return False
    await deps.store.rollups.set_reply(message, str(sent["ts"]))
    return True


async def _update(
    deps: Deps,
    client: AsyncWebClient,
    message: MessageRef,
    reply_ts: str,
    thankers: list[Thanker],
) -> None:
    text, blocks = await _text(deps, client, message, thankers)
    try:
        await client.chat_update(channel=message.channel_id, ts=reply_ts, text=text, blocks=blocks)
    except SlackApiError as exc:
        # Someone deleted the reply: the next reaction posts a fresh one.
        log.info(
            "reaction reply not updated in %s: %s", message.channel_id, exc.response.get("error")
        )
        if exc.response.get("error") == "message_not_found":
            await deps.store.rollups.set_reply(message, None)


async def _delete(deps: Deps, client: AsyncWebClient, message: MessageRef, reply_ts: str) -> None:
    """Every reaction thanks was taken back: the reply goes too."""
    try:
        await client.chat_delete(channel=message.channel_id, ts=reply_ts)
    except SlackApiError as exc:
        log.info(
            "reaction reply not deleted in %s: %s", message.channel_id, exc.response.get("error")
        )
    await deps.store.rollups.set_reply(message, None)


async def _actor_thanks(deps: Deps, message: MessageRef, actor: str) -> tuple[str, ...]:
    """Whom ``actor``'s reaction on the message thanks, if it counts."""
    thankers = await deps.store.rollups.thankers(message)
    return tuple(dict.fromkeys(th.helper_id for th in thankers if th.reactor_id == actor))


async def _instead_of_the_reply(
    deps: Deps,
    client: AsyncWebClient,
    message: MessageRef,
    actor: str,
    lang: str,
    *,
    over_allowance: bool = False,
) -> None:
    """The reply cannot show the actor's thanks (the channel refused it, or their announcements
    for the hour are spent): the helper hears by DM instead. Past the allowance the actor is
    told once, and not confirmed each time: a reaction is a quiet gesture."""
    helpers = await _actor_thanks(deps, message, actor)
    if not helpers:
        return
    notice = None
    if over_allowance and await first_notice(deps, message.team_id, actor, ANNOUNCE):
        notice = t(lang, "limits.announce")
    await tell_privately(
        deps,
        client,
        News(message.team_id, actor, helpers, "", lang),
        giver_channel(client, actor, message.channel_id, None),
        notice=notice,
        confirm=not over_allowance,
    )
