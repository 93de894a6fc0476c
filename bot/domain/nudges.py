"""Nudge policy, pure: who gets which scheduled message when, and why (no Slack, no SQL).

Two personal messages: a welcome, once, to everyone who has started using giveback; and an
invitation to lend a hand, to people whose asks clearly outnumber their giving, with open asks
they could help with. People who only give or only thank never get an invitation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.favours import Ask, asks_outnumber_giving, is_newcomer
from bot.domain.network import is_anonymous
from bot.domain.records import Balance
from bot.domain.settings import UserPreferences, WorkspaceSettings

GIVEBACK, WELCOME, CLOSE_LOOP, RESURFACE, DIGEST = (
    "giveback",
    "welcome",
    "close_loop",
    "resurface",
    "digest",
)
# GIVEBACK is the invitation to lend a hand (the name stays: the nudge log's keys carry it).
PERSONAL_KINDS = (GIVEBACK, WELCOME)  # the kinds the per-person cooldown spaces out
WEEKDAYS = (0, 1, 2, 3, 4)  # reminders about an ask go out on any weekday, in daytime hours
CLOSE_LOOP_AFTER = timedelta(days=3)
RESURFACE_AFTER = timedelta(days=2)
MAX_ASKS_IN_NUDGE = 3  # open asks shown in an invitation
MAX_RESURFACE_HELPERS = 3
# One re-surfaced ask a person a day at most: a generous colleague is not the whole team's
# inbox. Not a full 24 hours, so tomorrow's sweep at the same hour (minutes earlier) still sends.
RESURFACE_SPACING = timedelta(hours=20)
COOLDOWN_SLACK = timedelta(hours=1)
# Someone who saw the give-first prompt at /ask is not invited again within this long.
AFTER_PROMPT = timedelta(days=1)


@dataclass(frozen=True)
class NudgeKey:
    """What makes a scheduled message unique: sent at most once per key."""

    team_id: str
    recipient_id: str  # a user id, or the digest channel
    kind: str
    period: str  # the local date, the ISO week, "once", or an ask's id

    @property
    def text(self) -> str:
        return f"{self.team_id}/{self.recipient_id}/{self.kind}/{self.period}"

    @property
    def logged(self) -> str:
        """:attr:`text` as log lines show it: a person's id left out (logs outlive forget-me),
        a channel's kept."""
        person = self.recipient_id[:1] in ("U", "W")
        return f"{self.team_id}/{'(a person)' if person else self.recipient_id}/{self.kind}/{self.period}"


class AskSource(Protocol):
    """Where open asks come from (the store in the app, a plain list in tests)."""

    async def open_asks(self, team_id: str) -> list[Ask]: ...


@dataclass(frozen=True)
class LastContact:
    at: datetime
    period: str


@dataclass(frozen=True)
class Person:
    """Everything the policy needs to know about one person at sweep time."""

    user_id: str
    tz: str | None
    balance: Balance
    preferences: UserPreferences = field(default_factory=UserPreferences)
    gone: bool = False  # a bot, deactivated, or unknown to Slack
    last_contact: LastContact | None = None
    prompted_at: datetime | None = None  # when they last saw the give-first prompt at /ask
    could_help: int = 0  # open asks by others they have not offered on yet


@dataclass(frozen=True)
class Decision:
    """The verdict for one person: ``kind`` is None when nothing is due, ``reason`` says why."""

    user_id: str
    kind: str | None
    period: str
    reason: str
    local: datetime | None = None


def local_time(now: datetime, tz: str | None) -> datetime | None:
    if not tz:
        return None
    try:
        return now.astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def in_window(local: datetime, weekdays: Iterable[int], start_hour: int, end_hour: int) -> bool:
    """Whether a local time falls on one of ``weekdays`` within [start_hour, end_hour)."""
    return local.weekday() in tuple(weekdays) and start_hour <= local.hour < end_hour


def describe(local: datetime) -> str:
    return f"{local:%a %H:%M} {local.tzinfo}"


def due(person: Person, settings: WorkspaceSettings, now: datetime) -> str | None:
    """Why nothing is due for ``person`` at any hour; None: their welcome or an invitation is."""
    if person.gone:
        return "not an active person in Slack"
    if not person.preferences.nudges:
        return "opted out of nudges"
    if not person.balance.started:
        return "has not used giveback yet"
    if person.preferences.welcomed:
        return _no_invitation(person, settings, now)
    return None


def decide(person: Person, settings: WorkspaceSettings, now: datetime) -> Decision:
    """Whether ``person`` gets their welcome or an invitation to lend a hand right now."""
    local = local_time(now, person.tz)
    period = local.date().isoformat() if local else ""

    def skip(reason: str) -> Decision:
        return Decision(person.user_id, None, period, reason, local)

    if (why_not := due(person, settings, now)) is not None:
        return skip(why_not)
    if local is None:
        return skip("timezone unknown")
    if not in_window(
        local, settings.nudge_weekdays, settings.nudge_start_hour, settings.nudge_end_hour
    ):
        return skip(f"outside the delivery window ({describe(local)})")
    last = person.last_contact
    cooldown = timedelta(days=settings.cooldown_days)
    # The slack keeps a weekly nudge weekly when this week's sweep runs minutes earlier.
    if last is not None and last.period != period and now - last.at < cooldown - COOLDOWN_SLACK:
        return skip(f"cooldown until {(last.at + cooldown):%Y-%m-%d %H:%M} UTC")
    if not person.preferences.welcomed:
        why = f"started using giveback, welcome once ({describe(local)})"
        return Decision(person.user_id, WELCOME, period, why, local)
    why = (
        f"asking more than giving ({_counts(person.balance, settings)}),"
        f" {person.could_help} open asks to help with ({describe(local)})"
    )
    return Decision(person.user_id, GIVEBACK, period, why, local)


def could_help_counts(asks: Iterable[Ask]) -> Callable[[str], int]:
    """How many of the open ``asks`` each person could still offer on (not theirs, not offered
    on yet), counted once for everyone rather than once per person."""
    asks = list(asks)
    shown = [a for a in asks if not is_anonymous(a.asker_id)]  # as suggest_asks has it
    blocked: Counter[str] = Counter()
    for ask in shown:
        blocked.update({ask.asker_id, *ask.offers})
    return lambda user_id: len(shown) - blocked[user_id]


def _counts(balance: Balance, settings: WorkspaceSettings) -> str:
    return f"asked {balance.asking}, gave {balance.giving} in {settings.window_days} days"


def _no_invitation(person: Person, settings: WorkspaceSettings, now: datetime) -> str | None:
    """Why a welcomed person gets no invitation now (None: they may get one)."""
    mine = person.balance
    if settings.policy == "off":
        return "give-first policy is off for the workspace"
    if is_newcomer(mine, settings):
        events = f"{mine.events} help event{'' if mine.events == 1 else 's'}"
        return (
            f"newcomer ({events}, fewer than {settings.newcomer_events}): welcomed, never invited"
        )
    if not asks_outnumber_giving(mine, settings):
        if mine.asking == 0:
            return f"has asked for nothing ({_counts(mine, settings)}; thanks never count)"
        return f"gives as much as asks ({_counts(mine, settings)})"
    prompted = person.prompted_at
    if prompted is not None and now - prompted < AFTER_PROMPT:
        return f"saw the give-first prompt at {prompted:%Y-%m-%d %H:%M} UTC, within a day"
    if not person.could_help:
        return f"no open asks to help with ({_counts(mine, settings)})"
    return None


def daytime(local: datetime, settings: WorkspaceSettings) -> bool:
    """Reminders about an ask: any weekday, within the workspace's delivery hours."""
    return in_window(local, WEEKDAYS, settings.nudge_start_hour, settings.nudge_end_hour)


def needs_closing(ask: Ask, now: datetime) -> bool:
    """Offers came but the ask is still open after three days: remind the asker once."""
    return bool(ask.offers) and now - ask.created_at >= CLOSE_LOOP_AFTER


def needs_resurfacing(ask: Ask, now: datetime) -> bool:
    """Nobody offered within two days: show it to people who helped the asker before."""
    return not ask.offers and now - ask.created_at >= RESURFACE_AFTER


def iso_week(local: datetime) -> str:
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"
