"""Thanks by reaction: a configured emoji on someone's message records that they helped.

Recorded (or removed) in a listener middleware, before Bolt acknowledges the event, so an
acknowledged reaction is a stored one; redeliveries find the same idempotency key.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.parsing import ThanksRequest
from bot.i18n.catalog import t
from bot.services.announce import announce_thanks
from bot.services.deps import Deps
from bot.services.directory import LookupFailed, message_author
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
    """``react:{channel}:{ts}:{reactor}:{emoji}``; None unless it is a reaction on a message."""
    item = event.get("item") or {}
    if item.get("type") != "message" or not item.get("channel") or not item.get("ts"):
        return None
    return f"react:{item['channel']}:{item['ts']}:{event.get('user')}:{emoji_name(event)}"


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
    team_id = team_of(context)
    key = reaction_key(event)
    if key is not None and await _is_thanks_emoji(event, team_id, deps):
        try:
            author = await _author(event, client)
        except LookupFailed:
            context["author_unknown"] = True
            author = None
        stale = await deps.store.tombstones.outdated(
            team_id=team_id, key=key, added_ts=event.get("event_ts")
        )
        if _counts(event.get("user"), author, context) and not stale:
            assert author is not None
            context["thanks_outcome"] = await give_thanks(
                deps,
                client,
                team_id=team_id,
                giver=event["user"],
                request=ThanksRequest(receivers=(author,), note=""),
                source="reaction",
                channel_id=event["item"]["channel"],
                key=key,
            )
    await next()


async def handle_reaction_added(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    if context.get("author_unknown"):
        reactor, channel, team_id = event["user"], event["item"]["channel"], team_of(context)
        lang = await deps.language(client, team_id, reactor)
        text = t(lang, "reaction.author_unknown", emoji=emoji_name(event))
        await client.chat_postEphemeral(channel=channel, user=reactor, text=text)
        return
    outcome = context.get("thanks_outcome")
    if outcome is None or outcome.is_redelivery:
        return  # not a thanks emoji (or not on someone else's message), or a redelivery
    reactor, channel = event["user"], event["item"]["channel"]
    team_id = team_of(context)
    lang = await deps.language(client, team_id, reactor)
    if outcome.unknown:
        # Not recorded because Slack did not answer: say so rather than drop it silently.
        await client.chat_postEphemeral(
            channel=channel,
            user=reactor,
            text=t(lang, "thanks.lookup_failed", people=people(outcome.unknown, lang)),
        )
        return
    if not outcome.recorded:
        return  # the author is a bot or a deactivated account: reactions to bots don't count
    log.info("thanks recorded team=%s source=reaction", team_id)
    await announce_thanks(
        deps,
        client,
        team_id=team_id,
        giver=reactor,
        helpers=outcome.recorded,
        note="",
        lang=lang,
        channel=channel,
        message_ts=event["item"]["ts"],
    )


async def remove_reaction(
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    deps: Deps,
    next: Callable[[], Awaitable[None]],
) -> None:
    """Taking the reaction back within a day takes the thanks back; later, it stays.

    Either way the removal is remembered (a tombstone), so a late redelivery of the
    reaction_added it undid does not bring the thanks back.
    """
    key = reaction_key(event)
    team_id = team_of(context)
    if key is not None and await _is_thanks_emoji(event, team_id, deps):
        await deps.store.tombstones.bury(
            team_id=team_id, key=key, removed_ts=str(event.get("event_ts", "")), now=deps.clock()
        )
        try:
            author = await _author(event, client)
        except LookupFailed:
            author = None
        stored = (
            await deps.store.events.get(team_id=team_id, key=f"{key}:{author}") if author else None
        )
        if stored is not None and deps.clock() - stored.created_at <= UNDO_WINDOW:
            await deps.store.events.delete(team_id=team_id, key=stored.key)
            log.info("reaction thanks removed team=%s", team_id)
    await next()


async def handle_reaction_removed() -> None:
    """Everything happened before the ack, in :func:`remove_reaction`."""
