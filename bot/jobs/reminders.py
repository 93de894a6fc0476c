"""Asks that need a nudge: close the loop with askers, re-surface unanswered asks.

Both go out on weekdays within the workspace's delivery hours, in the recipient's timezone,
once per (recipient, ask), and never to people who opted out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.domain.nudges import (
    CLOSE_LOOP,
    MAX_RESURFACE_HELPERS,
    RESURFACE,
    RESURFACE_SPACING,
    Ask,
    NudgeKey,
    daytime,
    describe,
    local_time,
    needs_closing,
    needs_resurfacing,
)
from bot.domain.records import UserProfile
from bot.domain.settings import WorkspaceSettings
from bot.services.deps import Deps
from bot.services.suggest import who_could_help
from bot.slack.delivery import Outgoing
from bot.views import followup as followup_views
from bot.views import nudges as messages


async def plan_reminders(
    deps: Deps,
    team: str,
    now: datetime,
    settings: WorkspaceSettings,
    open_asks: list[Ask],
    profile: Callable[[str], Awaitable[UserProfile | None]],
    lang_of: Callable[[str], str],
) -> list[tuple[Outgoing, str]]:
    """Close the loop with askers; re-surface unanswered asks to the asker's past helpers."""
    planned: list[tuple[Outgoing, str]] = []
    busy: set[str] = set()  # one re-surfaced ask per helper per sweep (and a day: _lately)
    helped: set[str] = set()  # for the ask at hand: who helped its asker before

    async def reachable(user_id: str) -> bool:
        found = await profile(user_id)
        prefs = await deps.store.preferences.user(team, user_id)
        return prefs.nudges and not (found and not found.is_person)

    for ask in open_asks:
        if needs_closing(ask, now):
            kind, recipients = CLOSE_LOOP, [ask.asker_id] if await reachable(ask.asker_id) else []
        elif needs_resurfacing(ask, now):
            kind, recipients = RESURFACE, []
            # People thanked for similar help first (not only the few generous people who
            # helped the asker most), then the asker's past helpers.
            matched = await who_could_help(
                deps, team, ask.asker_id, ask.text, named=[*ask.offers, *ask.declined]
            )
            helpers = await deps.store.activity.helpers_of(team, ask.asker_id)
            helped = {h.user_id for h in helpers}
            for user_id in [m.user_id for m in matched] + [h.user_id for h in helpers]:
                if len(recipients) == MAX_RESURFACE_HELPERS:
                    break
                skip = user_id in recipients or user_id in ask.offers or user_id in ask.declined
                if not skip and await reachable(user_id):
                    recipients.append(user_id)
        else:
            continue
        for user_id in recipients:
            found = await profile(user_id)
            local = local_time(now, found.tz if found else None)
            if local is None or not daytime(local, settings):
                continue
            key = NudgeKey(team, user_id, kind, str(ask.id))
            if kind == RESURFACE:
                if user_id in busy or await _done(deps, key) or await _lately(deps, key, now):
                    continue
                busy.add(user_id)
            build = messages.close_loop if kind == CLOSE_LOOP else messages.resurface
            if kind == RESURFACE and user_id not in helped:
                build = followup_views.resurface_matched  # thanked for similar help instead
            text, blocks = build(ask, now, lang_of(user_id))
            reason = f"ask {ask.id} by {ask.asker_id}, {describe(local)}"
            planned.append((Outgoing(key, text, blocks), reason))
    return planned


async def _lately(deps: Deps, key: NudgeKey, now: datetime) -> bool:
    """Whether this person was shown another unanswered ask within the last day."""
    last = await deps.store.nudges.last_contact(key.team_id, key.recipient_id, (RESURFACE,))
    return last is not None and now - last.at < RESURFACE_SPACING


async def _done(deps: Deps, key: NudgeKey) -> bool:
    record = await deps.store.nudges.get(key)
    return record is not None and record.status in ("sent", "skipped")
