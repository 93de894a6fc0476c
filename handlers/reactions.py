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
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
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


async def _counts(event: dict[str, Any], context: AsyncBoltContext, deps: Deps) -> bool:
    """A configured emoji, by a person, on someone else's (non-bot) message."""
    reactor, author = event.get("user"), event.get("item_user")
    if not reactor or not author or reactor == author or author == context.bot_user_id:
        return False
    settings = await deps.workspace(context.team_id or "")
    return emoji_name(event) in settings.reaction_emoji and reaction_key(event) is not None


async def record_reaction(
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    deps: Deps,
    next: Callable[[], Awaitable[None]],
) -> None:
    if await _counts(event, context, deps):
        context["thanks_outcome"] = await give_thanks(
            deps,
            client,
            team_id=context.team_id or "",
            giver=event["user"],
            request=ThanksRequest(receivers=(event["item_user"],), note=""),
            source="reaction",
            channel_id=event["item"]["channel"],
            key=str(reaction_key(event)),
        )
    await next()


async def handle_reaction_added(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    outcome = context.get("thanks_outcome")
    if outcome is None or outcome.is_redelivery:
        return  # not a thanks emoji (or not on someone else's message), or a redelivery
    reactor, channel = event["user"], event["item"]["channel"]
    lang = await deps.language(client, context.team_id or "", reactor)
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
    log.info("thanks recorded team=%s giver=%s source=reaction", context.team_id, reactor)
    await announce_thanks(
        deps,
        client,
        team_id=context.team_id or "",
        giver=reactor,
        helpers=outcome.recorded,
        note="",
        lang=lang,
        channel=channel,
        message_ts=event["item"]["ts"],
    )


async def remove_reaction(
    event: dict[str, Any],
    context: AsyncBoltContext,
    deps: Deps,
    next: Callable[[], Awaitable[None]],
) -> None:
    """Taking the reaction back within a day takes the thanks back; later, it stays."""
    key = reaction_key(event)
    author = event.get("item_user")
    if key is not None and author:
        team_id = context.team_id or ""
        stored = await deps.store.events.get(team_id=team_id, key=f"{key}:{author}")
        if stored is not None and deps.clock() - stored.created_at <= UNDO_WINDOW:
            await deps.store.events.delete(team_id=team_id, key=stored.key)
            log.info("reaction thanks removed team=%s key=%s", team_id, stored.key)
    await next()


async def handle_reaction_removed() -> None:
    """Everything happened before the ack, in :func:`remove_reaction`."""
