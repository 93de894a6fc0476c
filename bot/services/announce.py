"""Announcing a recorded thanks where the workspace wants it (see bot.domain.announce)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.announce import PRIVATE, Delivery, plan_announcement
from bot.i18n.catalog import t
from bot.services.deps import Deps, Reply
from bot.views.blocks import Blocks, people
from bot.views.thanks import thanks_announcement

log = logging.getLogger(__name__)


async def announce_thanks(
    deps: Deps,
    client: AsyncWebClient,
    *,
    team_id: str,
    giver: str,
    helpers: tuple[str, ...],
    note: str,
    lang: str,
    channel: str | None,
    message_ts: str | None = None,
    thread_ts: str | None = None,
    respond: Reply | None = None,
) -> None:
    """Tell people that ``helpers`` helped ``giver``; falls back to private if the channel refuses."""
    mode = (await deps.workspace(team_id)).announce
    delivery = plan_announcement(mode, message_ts=message_ts, thread_ts=thread_ts)
    text, blocks = thanks_announcement(giver, helpers, note, lang)
    if delivery.kind == "respond" and respond is not None:
        answer = await respond(response_type="in_channel", text=text, blocks=blocks)
        if answer.status_code < 400:
            return
        # Neither the response URL nor (respond's own fallback) the channel took it: an
        # expired URL and a channel without the bot. The people involved still hear of it.
        await _tell_privately(deps, client, team_id, giver, helpers, note, lang, channel)
        return
    if (
        delivery.kind != PRIVATE
        and channel
        and await _posted(client, channel, delivery, text, blocks)
    ):
        return
    await _tell_privately(deps, client, team_id, giver, helpers, note, lang, channel, respond)


async def _tell_privately(
    deps: Deps,
    client: AsyncWebClient,
    team_id: str,
    giver: str,
    helpers: tuple[str, ...],
    note: str,
    lang: str,
    channel: str | None,
    respond: Reply | None = None,
) -> None:
    """Only the people involved: a confirmation for the giver, a DM for each helper."""
    confirmation = t(lang, "thanks.recorded_private", helpers=people(helpers, lang))
    if respond is not None:
        await respond(response_type="ephemeral", text=confirmation)
    elif not (channel and await _ephemeral(client, channel, giver, confirmation)):
        await client.chat_postMessage(channel=giver, text=confirmation)  # a DM
    for helper in helpers:
        helper_lang = await deps.language(client, team_id, helper)
        key = "announce.dm" if note else "announce.dm_no_note"
        await client.chat_postMessage(
            channel=helper, text=t(helper_lang, key, giver=giver, note=note)
        )


async def _ephemeral(client: AsyncWebClient, channel: str, user: str, text: str) -> bool:
    """Show ``text`` to ``user`` in ``channel``; False where Slack will not (a DM, or a channel
    without the bot)."""
    if channel.startswith("D"):
        return False
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.info("confirmation not shown in %s: %s", channel, exc.response.get("error"))
        return False
    return True


async def _posted(
    client: AsyncWebClient, channel: str, delivery: Delivery, text: str, blocks: Blocks
) -> bool:
    """Post the announcement in the channel (or its thread); False if Slack refuses."""
    try:
        await client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=delivery.thread_ts,
            reply_broadcast=delivery.broadcast or None,
        )
    except SlackApiError as exc:  # e.g. not_in_channel: the people still hear of it
        log.info("announcement not posted in %s: %s", channel, exc.response.get("error"))
        return False
    return True
