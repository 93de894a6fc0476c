"""Who could help: "Mention in my ask" on a suggested colleague."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n.catalog import t
from bot.services.asks import send_to_named, show_fresh
from bot.services.deps import Deps
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import asks as ask_views
from bot.views import ids
from bot.views.suggest import parse_mention_value
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.action(ids.SUGGEST_MENTION)(acks_early(handle_mention))


async def handle_mention(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    """The asker names a suggested colleague in their ask: it is DMed to them, and the ask's
    copies show them as asked."""
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    parsed = parse_mention_value(str(action.get("value", "")))
    ask = await deps.store.asks.get(team_id=team_id, ask_id=parsed[0]) if parsed else None
    reason = ask_views.refusal(ask, user_id, lang, by_asker=True)
    if parsed is None or ask is None or reason is not None:
        text = reason or ask_views.closed_reason(ask, lang)
    elif not await deps.store.asks.add_asked(
        team_id=team_id, ask_id=ask.id, user_id=parsed[1], now=deps.clock()
    ):
        text = t(lang, "suggest.already", user=parsed[1])
    else:
        fresh = await show_fresh(deps, client, ask)
        await send_to_named(deps, client, fresh, parsed[1])
        log.info("suggested person mentioned team=%s ask=%d", team_id, ask.id)
        text = t(lang, "suggest.mentioned", user=parsed[1])
    await respond(replace_original=False, response_type="ephemeral", text=text)
