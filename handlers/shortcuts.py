"""Message shortcut "Thank the author": a modal with the author and a permalink, recorded on submit."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.parsing import ThanksRequest
from bot.i18n.catalog import t
from bot.services.announce import announce_thanks
from bot.services.deps import Deps
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import ids
from bot.views.blocks import people
from bot.views.thanks import shortcut_modal, shortcut_submission
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)
PERMALINK_TIMEOUT = 1.0  # the trigger_id expires after 3 seconds: never wait long for a link


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.shortcut(ids.THANKS_SHORTCUT)(acks_early(handle_thanks_shortcut))
    app.view(ids.THANKS_SHORTCUT_VIEW)(acks_early(handle_thanks_submission))


async def handle_thanks_shortcut(
    ack: AsyncAck,
    shortcut: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    await ack()
    team_id, user_id = team_of(context), shortcut["user"]["id"]
    channel, message = shortcut["channel"]["id"], shortcut.get("message") or {}
    lang = await deps.language(client, team_id, user_id)
    # A bot's message has no person to preselect; the modal asks who helped.
    author = None if message.get("bot_id") else message.get("user")
    metadata = {"channel": channel, "ts": message.get("ts"), "thread_ts": message.get("thread_ts")}
    view = shortcut_modal(
        author=author,
        link=await _permalink(client, channel, message.get("ts")),
        metadata=metadata,
        lang=lang,
    )
    await client.views_open(trigger_id=shortcut["trigger_id"], view=view)


async def _permalink(client: AsyncWebClient, channel: str, ts: str | None) -> str:
    if not ts:
        return ""
    try:
        found = await asyncio.wait_for(
            client.chat_getPermalink(channel=channel, message_ts=ts), PERMALINK_TIMEOUT
        )
    except (SlackApiError, TimeoutError, OSError) as exc:
        log.info("no permalink for %s/%s: %s", channel, ts, exc)
        return ""
    return str(found.get("permalink") or "")


async def handle_thanks_submission(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    view: dict[str, Any],
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    form = shortcut_submission(view)
    helper, note, channel = form.helper, form.note, form.channel
    if not helper:
        await ack(response_action="errors", errors={ids.HELPER_INPUT: t(lang, "shortcut.nobody")})
        return
    if helper == user_id:
        await ack(response_action="errors", errors={ids.HELPER_INPUT: t(lang, "thanks.self")})
        return
    outcome = await give_thanks(
        deps,
        client,
        team_id=team_id,
        giver=user_id,
        request=ThanksRequest(receivers=(helper,), note=note),
        source="shortcut",
        channel_id=channel,
        key=f"short:{channel}:{form.ts}:{user_id}",
    )
    if outcome.unknown:
        error = t(lang, "thanks.lookup_failed", people=people(outcome.unknown, lang))
        await ack(response_action="errors", errors={ids.HELPER_INPUT: error})
        return
    if outcome.bots:
        error = t(lang, "thanks.bots", people=people(outcome.bots, lang))
        await ack(response_action="errors", errors={ids.HELPER_INPUT: error})
        return
    await ack()  # recorded above: the modal closes on a stored thanks
    if outcome.is_redelivery:
        return  # submitted twice: announced once
    log.info("thanks recorded team=%s source=shortcut", team_id)
    await announce_thanks(
        deps,
        client,
        team_id=team_id,
        giver=user_id,
        outcome=outcome,
        lang=lang,
        channel=channel,
        message_ts=form.ts,
        thread_ts=form.thread_ts,
    )
