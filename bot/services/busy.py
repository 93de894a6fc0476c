"""The "this person is busy" note, shown before an ask is posted: someone it names already has
open asks waiting on them at the workspace's busy setting. The ask is held until its asker
posts it as it is, without naming them, or names someone thanked for similar help instead."""

from __future__ import annotations

from bot.domain.favours import Ask, over_asked
from bot.services.deps import Deps
from bot.services.suggest import who_could_help
from bot.views import followup as views
from bot.views.blocks import Blocks


async def busy_among(deps: Deps, team_id: str, users: list[str]) -> list[str]:
    """Which of ``users`` (named in a new ask) already have open asks waiting on them at the
    workspace's busy setting."""
    if not users:
        return []
    limit = (await deps.workspace(team_id)).busy_asks
    return over_asked(users, await deps.store.asks.open_counts(team_id, users), limit=limit)


async def busy_named(deps: Deps, ask: Ask) -> list[str]:
    """The people ``ask`` names who are busy (other open asks waiting on them)."""
    if not ask.asked:
        return []
    limit = (await deps.workspace(ask.team_id)).busy_asks
    counts = await deps.store.asks.open_counts(ask.team_id, ask.asked, exclude_ask=ask.id)
    return over_asked(ask.asked, counts, limit=limit)


async def busy_view(deps: Deps, ask: Ask, busy: list[str], lang: str) -> tuple[str, Blocks]:
    others = await who_could_help(
        deps, ask.team_id, ask.asker_id, ask.text, named=ask.asked, exclude_ask=ask.id
    )
    return views.busy_hold(ask, busy, others, lang)
