"""Slash commands: ``/thanks`` and ``/giveback``."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import render
from bot.deps import Deps
from bot.parsing import parse_thanks, split_subcommand
from bot.thanks import give_thanks

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    app.command("/thanks")(handle_thanks)
    app.command("/giveback")(handle_giveback)


async def handle_thanks(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    team_id, user_id = command["team_id"], command["user_id"]
    # Both look people up on Slack: run them side by side to stay inside the 3-second ack.
    lang, outcome = await asyncio.gather(
        deps.language(client, team_id, user_id),
        give_thanks(
            deps,
            client,
            team_id=team_id,
            giver=user_id,
            request=parse_thanks(command.get("text", ""), invoker=user_id),
            source="command",
            channel_id=command.get("channel_id"),
            key=f"cmd:{command['trigger_id']}",
        ),
    )
    problems = outcome.problems(lang)
    if not outcome.helpers:
        await ack(response_type="ephemeral", text="\n".join(problems))
        return
    # Stored before this ack: an acknowledged thanks is a recorded thanks.
    await ack()
    log.info(
        "thanks recorded team=%s giver=%s helpers=%d source=command",
        team_id,
        user_id,
        len(outcome.recorded),
    )
    text, blocks = render.thanks_announcement(user_id, outcome.helpers, outcome.request.note, lang)
    await respond(response_type="in_channel", text=text, blocks=blocks)
    if problems:
        await respond(response_type="ephemeral", text="\n".join(problems))


async def handle_giveback(
    ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> None:
    team_id, user_id = command["team_id"], command["user_id"]
    lang = await deps.language(client, team_id, user_id)
    sub, _rest = split_subcommand(command.get("text", ""))
    if sub == "":
        ledger = await deps.store.ledger(
            team_id=team_id, user_id=user_id, since=deps.clock() - timedelta(days=deps.window_days)
        )
        text, blocks = render.ledger_view(ledger, deps.window_days, lang)
    elif sub == "help":
        text, blocks = render.help_view(lang)
    else:
        text, blocks = render.help_view(lang, unknown=command.get("text", ""))
    await ack(response_type="ephemeral", text=text, blocks=blocks)
