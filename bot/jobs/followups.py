"""The sweep's part in asks that close: the one check-in for an ask nobody offered on, and the
note that an ask closed by itself. Both go to the asker on a weekday in their daytime, once per
ask, and not to people who turned nudges off."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.domain.followup import AUTOCLOSED, CHECKIN, needs_checkin, waiting_since
from bot.domain.nudges import Ask, NudgeKey, daytime, describe, local_time
from bot.domain.records import UserProfile
from bot.domain.settings import WorkspaceSettings
from bot.services.deps import Deps
from bot.services.suggest import who_could_help
from bot.slack.delivery import Outgoing
from bot.views import followup as views

AUTOCLOSED_NOTE_FOR = timedelta(days=7)  # how long the "it closed by itself" DM may wait


async def plan_followups(
    deps: Deps,
    team: str,
    now: datetime,
    settings: WorkspaceSettings,
    open_asks: list[Ask],
    profile: Callable[[str], Awaitable[UserProfile | None]],
    lang_of: Callable[[str], str],
) -> list[tuple[Outgoing, str]]:
    planned: list[tuple[Outgoing, str]] = []

    async def when_awake(user_id: str) -> str | None:
        """Why now suits ``user_id`` (a reason for the log), or None."""
        found = await profile(user_id)
        if found is not None and not found.is_person:
            return None
        if not (await deps.store.preferences.user(team, user_id)).nudges:
            return None
        local = local_time(now, found.tz if found else None)
        return describe(local) if local is not None and daytime(local, settings) else None

    for ask in open_asks:
        if not needs_checkin(ask, now, settings.checkin_days, settings.autoclose_days):
            continue
        if (awake := await when_awake(ask.asker_id)) is None:
            continue
        others = await who_could_help(
            deps,
            team,
            ask.asker_id,
            ask.text,
            named=[*ask.asked, *ask.declined],
            exclude_ask=ask.id,
        )
        days = (now - waiting_since(ask)).days
        text, blocks = views.checkin(ask, days, others, lang_of(ask.asker_id))
        key = NudgeKey(team, ask.asker_id, CHECKIN, str(ask.id))
        planned.append((Outgoing(key, text, blocks), f"ask {ask.id} unanswered, {awake}"))
    for ask in await deps.store.asks.closed_by_itself(team, since=now - AUTOCLOSED_NOTE_FOR):
        if (awake := await when_awake(ask.asker_id)) is None:
            continue
        note = autoclosed_note(ask, lang_of(ask.asker_id))
        planned.append((note, f"ask {ask.id} closed by itself, {awake}"))
    return planned


def autoclosed_note(ask: Ask, lang: str) -> Outgoing:
    """The asker's DM saying their ask closed by itself (sent once, in their daytime)."""
    days = ((ask.closed_at or waiting_since(ask)) - waiting_since(ask)).days
    text, blocks = views.autoclosed_dm(ask, days, lang)
    return Outgoing(NudgeKey(ask.team_id, ask.asker_id, AUTOCLOSED, str(ask.id)), text, blocks)
