"""Forget me: withdraw the person's open asks where Slack shows them, then erase them.

The store's forget (storage/privacy.py) erases and anonymises in one transaction, and closes
their asks there too (the CLI has no Slack to update). Here, with Slack at hand, their open asks
are withdrawn first and every posted copy is updated to say so, so nobody presses "I can help"
on an ask whose author is gone. Messages already posted in Slack are Slack's: giveback cannot
erase them, and says so.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.services.asks import show_fresh
from bot.services.deps import Deps
from storage.privacy import Forgotten

log = logging.getLogger(__name__)


async def forget_person(
    deps: Deps, client: AsyncWebClient, team_id: str, user_id: str
) -> Forgotten:
    withdrawn = 0
    for ask in await deps.store.asks.open_asks(team_id):
        if ask.asker_id != user_id:
            continue
        if await deps.store.asks.withdraw(team_id=team_id, ask_id=ask.id, now=deps.clock()):
            withdrawn += 1
            await show_fresh(deps, client, ask)  # copies say "withdrawn" before they are forgotten
    forgotten = await deps.store.privacy.forget(team_id=team_id, user_id=user_id, now=deps.clock())
    log.info(
        "person forgotten team=%s rows=%d asks_withdrawn=%d", team_id, forgotten.rows, withdrawn
    )
    return forgotten
