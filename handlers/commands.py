"""``/thanks``, and the core of ``/giveback``: your own counts (no subcommand) and ``help``."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.parsing import closest_name, parse_thanks
from bot.domain.thanks import ThanksOutcome
from bot.i18n.catalog import t
from bot.services.announce import announce_thanks
from bot.services.deps import Deps
from bot.services.followup import offered_on_my_ask
from bot.services.home import refresh_home
from bot.services.suggest import known_for
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.slack.respond import after_ack
from bot.views.followup import resolve_instead
from bot.views.insights import help_view, ledger_view
from bot.views.suggest import known_for_blocks
from bot.views.thanks import thanks_modal, thanks_problems
from handlers.subcommands import Invocation, Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.command("/thanks")(acks_early(handle_thanks))
    subcommands.add("", show_ledger)
    subcommands.add("help", show_help)

    async def show_unknown(inv: Invocation) -> None:
        """A name nobody registered: the closest one if it looks like a typo, else the help."""
        typed = (inv.command.get("text") or "").split()[0]
        suggestion = closest_name(typed, subcommands.names)
        if suggestion is not None:
            text = t(inv.lang, "help.did_you_mean", text=_shown(typed), suggestion=suggestion)
            await inv.ack(response_type="ephemeral", text=text)
            return
        text, blocks = help_view(inv.lang, unknown=inv.command.get("text", ""))
        await inv.ack(response_type="ephemeral", text=text, blocks=blocks)

    subcommands.otherwise(show_unknown)


async def handle_thanks(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    team_id, user_id = command["team_id"], command["user_id"]
    if not (command.get("text") or "").strip():
        # Nothing after /thanks: the same form as Home's "Thank someone" asks who and what for.
        await ack()
        lang = await deps.language(client, team_id, user_id)
        await client.views_open(trigger_id=command["trigger_id"], view=thanks_modal(lang))
        return
    # Both may look people up on Slack: side by side, to stay inside the 3-second ack. The
    # thanks runs in this task, not a task of its own: the ack waits for nothing else.
    language = asyncio.ensure_future(deps.language(client, team_id, user_id))
    request = parse_thanks(command.get("text", ""), invoker=user_id)
    try:
        # Thanking someone who offered on your open ask: resolving it thanks them once.
        offered = await offered_on_my_ask(deps, team_id, user_id, request.receivers)
        if offered is not None:
            text, blocks = resolve_instead(
                *offered, thanks_value(command, request.note), await language
            )
            await ack(response_type="ephemeral", text=text, blocks=blocks)
            return
        outcome = await give_thanks(
            deps,
            client,
            team_id=team_id,
            giver=user_id,
            request=request,
            source="command",
            channel_id=command.get("channel_id"),
            key=f"cmd:{command['trigger_id']}",
        )
    except BaseException:
        language.cancel()
        raise
    lang = await language
    problems = thanks_problems(outcome, lang)
    if not outcome.helpers:
        await ack(response_type="ephemeral", text="\n".join(problems))
        return
    if outcome.is_redelivery:
        # The same command delivered again: recorded and announced the first time.
        await ack(response_type="ephemeral", text=t(lang, "thanks.duplicate"))
        return
    # Stored before this ack: an acknowledged thanks is a recorded thanks.
    await ack()
    log.info("thanks recorded team=%s helpers=%d source=command", team_id, len(outcome.recorded))
    await _after_recorded(deps, client, respond, command, outcome, lang, problems)


async def _after_recorded(
    deps: Deps,
    client: AsyncWebClient,
    respond: AsyncRespond,
    command: dict[str, Any],
    outcome: ThanksOutcome,
    lang: str,
    problems: list[str],
) -> None:
    """Announce, explain what was left out, refresh Home. after_ack: a failure from here on is
    logged, never raised into Bolt (see bot/slack/respond.py)."""
    team_id, user_id = command["team_id"], command["user_id"]
    announcing = announce_thanks(
        deps,
        client,
        team_id=team_id,
        giver=user_id,
        outcome=outcome,
        lang=lang,
        channel=command.get("channel_id"),
        respond=respond,
    )
    await after_ack(announcing, "announcing")
    if problems:
        await after_ack(respond(response_type="ephemeral", text="\n".join(problems)), "explaining")
    await after_ack(refresh_home(client, deps, team_id, [user_id, *outcome.recorded]), "Home")


def thanks_value(command: dict[str, Any], note: str) -> dict[str, Any]:
    """What "Thank separately" needs to record this /thanks as it was typed."""
    return {
        "text": command.get("text", "")[:1500],
        "channel": command.get("channel_id"),
        "key": f"cmd:{command['trigger_id']}",
        "note": note,
    }


async def show_ledger(inv: Invocation) -> None:
    window = (await inv.deps.workspace(inv.team_id)).window_days
    since = inv.deps.clock() - timedelta(days=window)
    ledger = await inv.deps.store.events.ledger(
        team_id=inv.team_id, user_id=inv.user_id, since=since
    )
    text, blocks = ledger_view(ledger, window, inv.lang)
    strengths = await known_for(inv.deps, inv.team_id, inv.user_id, inv.lang)
    blocks[-1:-1] = known_for_blocks(strengths, inv.lang)  # before "only you can see this"
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)


async def show_help(inv: Invocation) -> None:
    text, blocks = help_view(inv.lang)
    await inv.ack(response_type="ephemeral", text=text, blocks=blocks)


def _shown(word: str) -> str:
    """What the person typed, inside our inline code: short, and no backtick of its own."""
    return word[:40].replace("`", "'")
