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
from bot.views.insights import help_view
from bot.views.thanks import thanks_problems
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.event("app_mention", middleware=[record_mention])(acks_early(handle_app_mention))


async def record_mention(
    body: dict[str, Any],
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    deps: Deps,
    next: Callable[[], Awaitable[None]],
) -> None:
    """Runs before Bolt acknowledges the event, so an acknowledged mention is a stored one."""
    user_id = event.get("user")
    team_id: str = context.team_id or body.get("team_id") or ""
    if user_id is None or event.get("bot_id"):
        return None  # a bot's message mentioning us: nothing to do
    request = parse_mention(event.get("text", ""), context.bot_user_id, user_id)
    if request is not None:
        context["thanks_outcome"] = await give_thanks(
            deps,
            client,
            team_id=team_id,
            giver=user_id,
            request=request,
            source="mention",
            channel_id=event.get("channel"),
            key=f"ev:{body.get('event_id') or event.get('client_msg_id') or event.get('ts')}",
        )
    await next()


async def handle_app_mention(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    user_id, channel = event["user"], event["channel"]
    lang = await deps.language(client, context.team_id or "", user_id)
    outcome = context.get("thanks_outcome")
    if outcome is None:
        if is_help_request(event.get("text", ""), context.bot_user_id):
            text, blocks = help_view(lang)  # `@giveback help`: the same help as /giveback help
            await client.chat_postEphemeral(channel=channel, user=user_id, text=text, blocks=blocks)
            return
        await client.chat_postEphemeral(channel=channel, user=user_id, text=t(lang, "mention.help"))
        return
    if outcome.is_redelivery:
        log.info("mention redelivered, already recorded team=%s user=%s", context.team_id, user_id)
        return
    if outcome.recorded:
        log.info(
            "thanks recorded team=%s giver=%s helpers=%d source=mention",
            context.team_id,
            user_id,
            len(outcome.recorded),
        )
        await announce_thanks(
            deps,
            client,
            team_id=context.team_id or "",
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
        await refresh_home(client, deps, context.team_id or "", [user_id, *outcome.recorded])
