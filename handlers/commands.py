"""Slash commands: ``/thanks`` and ``/giveback``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.parsing import parse_thanks, split_subcommand
from bot.i18n.catalog import t
from bot.services.announce import announce_thanks
from bot.services.deps import Deps
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.slack.respond import after_ack
from bot.views import blocks as render
from handlers import asks
from handlers.home import refresh_home
from handlers.insights import ask_forget, show_network, show_top

log = logging.getLogger(__name__)


def register(app: AsyncApp) -> None:
    app.command("/thanks")(acks_early(handle_thanks))
    app.command("/giveback")(acks_early(handle_giveback))


async def handle_thanks(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    team_id, user_id = command["team_id"], command["user_id"]
    # Both may look people up on Slack: side by side, to stay inside the 3-second ack. The
    # thanks runs in this task, not a task of its own: the ack waits for nothing else.
    language = asyncio.ensure_future(deps.language(client, team_id, user_id))
    try:
        outcome = await give_thanks(
            deps,
            client,
            team_id=team_id,
            giver=user_id,
            request=parse_thanks(command.get("text", ""), invoker=user_id),
            source="command",
            channel_id=command.get("channel_id"),
            key=f"cmd:{command['trigger_id']}",
        )
    except BaseException:
        language.cancel()
        raise
    lang = await language
    problems = outcome.problems(lang)
    if not outcome.helpers:
        await ack(response_type="ephemeral", text="\n".join(problems))
        return
    if outcome.is_redelivery:
        # The same command delivered again: recorded and announced the first time.
        await ack(response_type="ephemeral", text=t(lang, "thanks.duplicate"))
        return
    # Stored before this ack: an acknowledged thanks is a recorded thanks.
    await ack()
    log.info(
        "thanks recorded team=%s giver=%s helpers=%d source=command",
        team_id,
        user_id,
        len(outcome.recorded),
    )
    # after_ack: a failure from here on is logged, never raised into Bolt (see bot/respond.py).
    await after_ack(
        announce_thanks(
            deps,
            client,
            team_id=team_id,
            giver=user_id,
            helpers=outcome.helpers,
            note=outcome.request.note,
            lang=lang,
            channel=command.get("channel_id"),
            respond=respond,
        ),
        "announcing",
    )
    if problems:
        await after_ack(respond(response_type="ephemeral", text="\n".join(problems)), "explaining")
    await after_ack(refresh_home(client, deps, team_id, [user_id, *outcome.recorded]), "Home")


async def handle_giveback(
    ack: AsyncAck,
    command: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """``/giveback [subcommand ...]``: each subcommand answers (and acks) for itself."""
    team_id, user_id = command["team_id"], command["user_id"]
    lang = await deps.language(client, team_id, user_id)
    name, args = split_subcommand(command.get("text", ""))
    subcommand = SUBCOMMANDS.get(name, show_unknown)
    await subcommand(Invocation(ack, command, client, respond, deps, lang, args))


@dataclass(frozen=True)
class Invocation:
    """Everything a ``/giveback`` subcommand gets; it must call ``ack`` within 3 seconds."""

    ack: AsyncAck
    command: dict[str, Any]
    client: AsyncWebClient
    respond: AsyncRespond
    deps: Deps
    lang: str
    args: str

    @property
    def team_id(self) -> str:
        return str(self.command["team_id"])

    @property
    def user_id(self) -> str:
        return str(self.command["user_id"])


async def show_ledger(inv: Invocation) -> None:
    window = (await inv.deps.workspace(inv.team_id)).window_days
    since = inv.deps.clock() - timedelta(days=window)
    ledger = await inv.deps.store.events.ledger(
        team_id=inv.team_id, user_id=inv.user_id, since=since
    )
    text, blocks = render.ledger_view(ledger, window, inv.lang)
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)


async def show_help(inv: Invocation) -> None:
    text, blocks = render.help_view(inv.lang)
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)


async def show_unknown(inv: Invocation) -> None:
    text, blocks = render.help_view(inv.lang, unknown=inv.command.get("text", ""))
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)


SUBCOMMANDS: dict[str, Callable[[Invocation], Awaitable[None]]] = {
    "": show_ledger,
    "help": show_help,
    "network": show_network,
    "top": show_top,
    "forget": ask_forget,
    "asks": asks.show_board,
}
