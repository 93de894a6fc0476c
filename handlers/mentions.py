"""``@giveback thanks @a for ...`` in a channel: recorded before the ack, answered in a thread."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.parsing import is_help_request, parse_mention
from bot.i18n.catalog import t
from bot.services.announce import announce_thanks
from bot.services.deps import Deps
from bot.services.home import refresh_home
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views.insights import help_view
from bot.views.thanks import thanks_problems
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.event("app_mention", middleware=[record_mention])(acks_early(handle_app_mention))


async def record_mention(
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    deps: Deps,
    next: Callable[[], Awaitable[None]],
) -> None:
    """Runs before Bolt acknowledges the event, so an acknowledged mention is a stored one.

    The once-only key is the message's (channel and ts), not the delivery's: Slack sends
    ``app_mention`` again, with a new event_id, when the message is edited. An edit that names
    someone new records them; the people already thanked for this message are not counted twice.
    """
    user_id = event.get("user")
    if user_id is not None and not event.get("bot_id"):  # a bot's mention: nothing to record
        request = parse_mention(event.get("text", ""), context.bot_user_id, user_id)
        if request is not None:
            context["thanks_outcome"] = await give_thanks(
                deps,
                client,
                team_id=team_of(context),
                giver=user_id,
                request=request,
                source="mention",
                channel_id=event.get("channel"),
                key=f"mention:{event.get('channel')}:{event.get('ts')}",
            )
    await next()


async def handle_app_mention(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    user_id, channel = event.get("user"), event["channel"]
    if user_id is None or event.get("bot_id"):
        return  # another app mentioned us: it reads no help text
    team_id = team_of(context)
    lang = await deps.language(client, team_id, user_id)
    outcome = context.get("thanks_outcome")
    if outcome is None:
        if event.get("edited"):
            return  # the help was shown when the message was first posted
        # Claimed by the message: Slack's retry of the same mention shows the help once.
        key = f"mention-help:{channel}:{event.get('ts', '')}"
        if not await deps.store.offers.claim(
            team_id=team_id, key=key, user_id=user_id, now=deps.clock()
        ):
            return
        if is_help_request(event.get("text", ""), context.bot_user_id):
            text, blocks = help_view(lang)  # `@giveback help`: the same help as /giveback help
            await client.chat_postEphemeral(channel=channel, user=user_id, text=text, blocks=blocks)
            return
        await client.chat_postEphemeral(channel=channel, user=user_id, text=t(lang, "mention.help"))
        return
    if outcome.is_redelivery:
        log.info("mention redelivered or edited, already recorded team=%s", team_id)
        return
    if outcome.recorded:
        log.info(
            "thanks recorded team=%s helpers=%d source=mention", team_id, len(outcome.recorded)
        )
        await announce_thanks(
            deps,
            client,
            team_id=team_id,
            giver=user_id,
            outcome=outcome,
            lang=lang,
            channel=channel,
            message_ts=event["ts"],
            thread_ts=event.get("thread_ts"),
        )
    problems = thanks_problems(outcome, lang)
    if problems:
        await client.chat_postEphemeral(channel=channel, user=user_id, text="\n".join(problems))
    if outcome.recorded:
        await refresh_home(client, deps, team_id, [user_id, *outcome.recorded])
