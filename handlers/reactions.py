"""Thanks by reaction: a configured emoji on someone's message records that they helped.

Recorded (or removed) in a listener middleware, before Bolt acknowledges the event, so an
acknowledged reaction is a stored one; redeliveries find the same idempotency key. The key
names the message and the person, not the emoji: two thank-you emoji from one person on one
message are one thanks (each emoji is kept, so taking one back leaves the other's thanks).
Every reaction thanks on a message shows in one reply in its thread (bot.services.rollup).
A removal is remembered a day (a tombstone per emoji), so Slack redelivering the
reaction_added it undid brings nothing back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.announce import PRIVATE
from bot.domain.parsing import ThanksRequest
from bot.domain.records import MessageRef
from bot.i18n.catalog import t
from bot.services.announce import News, giver_channel, tell_privately
from bot.services.deps import Deps
from bot.services.directory import LookupFailed, message_author
from bot.services.rollup import roll_up
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views.blocks import people
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)
UNDO_WINDOW = timedelta(hours=24)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.event("reaction_added", middleware=[record_reaction])(acks_early(handle_reaction_added))
    app.event("reaction_removed", middleware=[remove_reaction])(acks_early(handle_reaction_removed))


def reaction_key(event: dict[str, Any]) -> str | None:
    """``react:{channel}:{ts}:{reactor}``: one thanks per person per message, whatever emoji;
    None unless it is a reaction on a message."""
    item = event.get("item") or {}
    if item.get("type") != "message" or not item.get("channel") or not item.get("ts"):
        return None
    return f"react:{item['channel']}:{item['ts']}:{event.get('user')}"


def legacy_key(event: dict[str, Any]) -> str:
    """The key before one emoji stood for all (``…:{reactor}:{emoji}``): still undoable."""
    return f"{reaction_key(event)}:{emoji_name(event)}"


def message_of(event: dict[str, Any], team_id: str) -> MessageRef:
    return MessageRef(team_id, str(event["item"]["channel"]), str(event["item"]["ts"]))


def emoji_name(event: dict[str, Any]) -> str:
    """``raised_hands::skin-tone-3`` is still ``raised_hands``."""
    return str(event.get("reaction", "")).split("::")[0]


async def _is_thanks_emoji(event: dict[str, Any], team_id: str, deps: Deps) -> bool:
    """A configured emoji on a message (not a file)."""
    settings = await deps.workspace(team_id)
    return emoji_name(event) in settings.reaction_emoji and reaction_key(event) is not None


def _counts(reactor: str | None, author: str | None, context: AsyncBoltContext) -> bool:
    """By a person, on someone else's (non-bot) message."""
    return bool(reactor and author and reactor != author and author != context.bot_user_id)


async def _author(event: dict[str, Any], client: AsyncWebClient) -> str | None:
    """The message's author: ``item_user``, or asked of Slack when the event lacks it (a
    Slack Connect member of another organisation). Raises LookupFailed."""
    if event.get("item_user"):
        return str(event["item_user"])
    item = event["item"]
    return await message_author(client, item["channel"], item["ts"])


async def record_reaction(
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    deps: Deps,
    next: Callable[[], Awaitable[None]],
) -> None:
    team_id, key = team_of(context), reaction_key(event)
    if key is not None and await _is_thanks_emoji(event, team_id, deps):
        try:
            author = await _author(event, client)
        except LookupFailed:
            context["author_unknown"] = True
            author = None
        stale = await deps.store.tombstones.outdated(
            team_id=team_id, key=legacy_key(event), added_ts=event.get("event_ts")
        )
        if _counts(event.get("user"), author, context) and not stale:
            assert author is not None
            outcome = await give_thanks(
                deps,
                client,
                team_id=team_id,
                giver=event["user"],
                request=ThanksRequest(receivers=(author,), note=""),
                source="reaction",
                channel_id=event["item"]["channel"],
                key=key,
            )
            context["thanks_outcome"] = outcome
            if outcome.helpers:  # this emoji, or another, thanks the author: keep it
                await deps.store.rollups.add_reaction(
                    message_of(event, team_id),
                    reactor_id=event["user"],
                    emoji=emoji_name(event),
                    helper_id=author,
                    event_key=f"{key}:{author}",
                    now=deps.clock(),
                )
    await next()


async def handle_reaction_added(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    team_id, reactor, channel = team_of(context), event["user"], event["item"]["channel"]
    if context.get("author_unknown"):
        lang = await deps.language(client, team_id, reactor)
        text = t(lang, "reaction.author_unknown", emoji=emoji_name(event))
        await client.chat_postEphemeral(channel=channel, user=reactor, text=text)
        return
    outcome = context.get("thanks_outcome")
    if outcome is None or outcome.is_redelivery:
        return  # not a thanks emoji (or not on someone else's message), or a redelivery
    lang = await deps.language(client, team_id, reactor)
    if outcome.unknown:
        # Not recorded because Slack did not answer: say so rather than drop it silently.
        await client.chat_postEphemeral(
            channel=channel,
            user=reactor,
            text=t(lang, "thanks.lookup_failed", people=people(outcome.unknown, lang)),
        )
        return
    if not outcome.to_announce:
        return  # a bot's or deactivated author, or past the daily cap: recorded, not announced
    log.info("thanks recorded team=%s source=reaction", team_id)
    if (await deps.workspace(team_id)).announce == PRIVATE:
        news = News(team_id, reactor, outcome.to_announce, "", lang)
        await tell_privately(deps, client, news, giver_channel(client, reactor, channel, None))
        return
    await roll_up(deps, client, message_of(event, team_id), actor=reactor, lang=lang)


async def remove_reaction(
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    deps: Deps,
    next: Callable[[], Awaitable[None]],
) -> None:
    """Taking the last thank-you emoji back within a day takes the thanks back; later, or
    while another of the person's thank-you emoji stays on the message, it stays. A thank-you
    emoji's removal is remembered either way (a tombstone)."""
    key, team_id = reaction_key(event), team_of(context)
    author = event.get("item_user")
    if key is not None and await _is_thanks_emoji(event, team_id, deps):
        await deps.store.tombstones.bury(
            team_id=team_id,
            key=legacy_key(event),
            removed_ts=str(event.get("event_ts", "")),
            now=deps.clock(),
        )
        if not author:
            try:
                author = await _author(event, client)
            except LookupFailed:
                author = None
    if key is not None and author:
        kept, remaining = await deps.store.rollups.remove_reaction(
            message_of(event, team_id), reactor_id=event.get("user") or "", emoji=emoji_name(event)
        )
        candidates = [legacy_key(event)] + ([key] if kept and not remaining else [])
        for candidate in candidates:
            stored = await deps.store.events.get(team_id=team_id, key=f"{candidate}:{author}")
            if stored is not None and deps.clock() - stored.created_at <= UNDO_WINDOW:
                await deps.store.events.delete(team_id=team_id, key=stored.key)
                log.info("reaction thanks removed team=%s", team_id)
        context["reply_changed"] = kept and not remaining
    await next()


async def handle_reaction_removed(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    """The removal happened before the ack (:func:`remove_reaction`); the reply follows it."""
    if not context.get("reply_changed"):
        return
    team_id, reactor = team_of(context), event["user"]
    lang = await deps.language(client, team_id, reactor)
    message = message_of(event, team_id)
    await roll_up(deps, client, message, actor=reactor, lang=lang, may_post=False)
