"""Personal messages in a sweep: a welcome, once, to everyone who has started using giveback,
and an invitation to lend a hand to people whose asks clearly outnumber their giving.

Who gets what is bot.domain.nudges' to decide (``due``, ``decide``); this reads what the
policy needs from the store once per workspace, looks up on Slack only the people something
is due for, and renders their messages.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.favours import suggest_asks
from bot.domain.network import is_anonymous
from bot.domain.nudges import (
    AFTER_PROMPT,
    GIVEBACK,
    MAX_ASKS_IN_NUDGE,
    PERSONAL_KINDS,
    WELCOME,
    Ask,
    Decision,
    NudgeKey,
    Person,
    could_help_counts,
    decide,
    due,
)
from bot.domain.records import Balance, UserProfile
from bot.domain.settings import UserPreferences, WorkspaceSettings
from bot.services.deps import Deps
from bot.slack.delivery import Outgoing
from bot.views import nudges as messages

Profile = Callable[[str], Awaitable[UserProfile | None]]


@dataclass(frozen=True)
class Known:
    """What the store holds about a workspace's people at sweep time, read once per sweep."""

    balances: dict[str, Balance]
    profiles: dict[str, UserProfile]
    preferences: dict[str, UserPreferences]
    prompted: dict[str, datetime]
    welcomed: set[str]  # the nudge log's word, should a preference not have been saved
    could_help: Callable[[str], int]


async def plan_personal(
    deps: Deps,
    team: str,
    now: datetime,
    settings: WorkspaceSettings,
    open_asks: list[Ask],
    profile: Profile,
    lang_of: Callable[[str], str],
) -> tuple[list[Decision], list[tuple[Outgoing, str]]]:
    """Everyone's decision, and the welcomes and invitations due now (with their reasons)."""
    known = Known(
        balances=await deps.store.activity.balances(
            team, since=now - timedelta(days=settings.window_days)
        ),
        # Everyone's cached profile and preferences in two queries, not two per person.
        profiles=await deps.store.profiles.all(team),
        preferences=await deps.store.preferences.users(team),
        prompted=await deps.store.activity.prompted(team, since=now - AFTER_PROMPT),
        welcomed=await deps.store.nudges.sent_to(team, WELCOME),
        could_help=could_help_counts(open_asks),
    )
    # First from what the store holds. Only people something is due for, whose cached
    # timezone puts them in the window (or who have none), are looked up on Slack and given
    # their history (the nudge log), then decided again.
    people = {u: _person(u, known) for u in _everyone(known)}
    first = {u: decide(p, settings, now) for u, p in people.items()}
    worth = {
        u
        for u, d in first.items()
        if due(people[u], settings, now) is None and (d.kind is not None or d.local is None)
    }
    await asyncio.gather(*(profile(u) for u in worth))
    decisions: list[Decision] = []
    planned: list[tuple[Outgoing, str]] = []
    for user_id, decision in first.items():
        if user_id in worth:
            person = _person(user_id, known, await profile(user_id))
            decision = decide(await _with_history(deps, team, person), settings, now)
        decisions.append(decision)
        if decision.kind is not None:
            out = await _message(deps, team, user_id, decision, open_asks, now, lang_of)
            planned.append((out, decision.reason))
    return decisions, planned


def _everyone(known: Known) -> list[str]:
    """Everyone the bot has seen (a cached profile, or any use of giveback), except known bots,
    deactivated and forgotten people: from what the sweep has read already, not another scan."""
    seen = set(known.profiles) | set(known.balances)
    return sorted(
        u
        for u in seen
        if not is_anonymous(u) and (u not in known.profiles or known.profiles[u].is_person)
    )


def _person(user_id: str, known: Known, looked_up: UserProfile | None = None) -> Person:
    """What the policy needs, from the store (and Slack's answer when ``looked_up``)."""
    found = looked_up or known.profiles.get(user_id)
    prefs = known.preferences.get(user_id, UserPreferences())
    if user_id in known.welcomed and not prefs.welcomed:
        prefs = dataclasses.replace(prefs, welcomed=True)
    return Person(
        user_id=user_id,
        tz=found.tz if found else None,
        balance=known.balances.get(user_id, Balance()),
        preferences=prefs,
        gone=bool(found and not found.is_person),
        prompted_at=known.prompted.get(user_id),
        could_help=known.could_help(user_id),
    )


async def _with_history(deps: Deps, team: str, person: Person) -> Person:
    """``person`` with the nudge log's say: their latest personal message (for the cooldown)."""
    last = await deps.store.nudges.last_contact(team, person.user_id, PERSONAL_KINDS)
    return dataclasses.replace(person, last_contact=last)


async def _message(
    deps: Deps,
    team: str,
    user_id: str,
    decision: Decision,
    open_asks: list[Ask],
    now: datetime,
    lang_of: Callable[[str], str],
) -> Outgoing:
    lang = lang_of(user_id)
    if decision.kind == WELCOME:
        text, blocks = messages.welcome(lang)

        async def remember_welcome() -> None:
            prefs = await deps.store.preferences.user(team, user_id)
            updated = dataclasses.replace(prefs, welcomed=True)
            await deps.store.preferences.save_user(team, user_id, updated, now=now)

        key = NudgeKey(team, user_id, WELCOME, "once")
        return Outgoing(key, text, blocks, after_sent=remember_welcome)
    # Asks of people who were there for them come first.
    askers = sorted({a.asker_id for a in open_asks})
    helped_me = await deps.store.activity.help_from(team, user_id, askers)
    chosen = suggest_asks(open_asks, user_id, helped_me, limit=MAX_ASKS_IN_NUDGE)
    text, blocks = messages.invitation(user_id, chosen, helped_me=helped_me, lang=lang)
    return Outgoing(NudgeKey(team, user_id, GIVEBACK, decision.period), text, blocks)
