"""giveback joins a channel: it introduces itself there, once."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.limits import CHANNEL_INTRO
from bot.services.deps import Deps
from bot.services.limits import once
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views.welcome import channel_intro
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.event("member_joined_channel")(acks_early(handle_member_joined))


async def handle_member_joined(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    """Someone joined a channel giveback is in; when it is giveback itself, say hello once
    (invited again after leaving, it stays quiet: the channel knows it already)."""
    channel, team_id = event.get("channel"), team_of(context)
    if not channel or not context.bot_user_id or event.get("user") != context.bot_user_id:
        return
    if not await once(deps, team_id, channel, CHANNEL_INTRO):
        return
    lang = await deps.channel_language(team_id, channel)
    settings = await deps.workspace(team_id)
    text, blocks = channel_intro(lang, settings.reaction_emoji)
    try:
        await client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.info("no introduction in %s: %s", channel, exc.response.get("error"))
