"""Nudge policy, pure: who gets which scheduled message when, and why (no Slack, no SQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.favours import Ask
from bot.domain.records import Balance, PersonCount
from bot.domain.settings import UserPreferences, WorkspaceSettings

GIVEBACK, WELCOME, CLOSE_LOOP, RESURFACE, DIGEST = (
    "giveback",
    "welcome",
    "close_loop",
    "resurface",
    "digest",
)
PERSONAL_KINDS = (GIVEBACK, WELCOME)  # the kinds the per-person cooldown spaces out
WEEKDAYS = (0, 1, 2, 3, 4)  # reminders about an ask go out on any weekday, in daytime hours
CLOSE_LOOP_AFTER = timedelta(days=3)
RESURFACE_AFTER = timedelta(days=2)
MAX_ASKS_IN_NUDGE = 3
MAX_RESURFACE_HELPERS = 3
COOLDOWN_SLACK = timedelta(hours=1)


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


def decide(person: Person, settings: WorkspaceSettings, now: datetime) -> Decision:
    """Whether ``person`` gets a give-back nudge (or, as a newcomer, a welcome) right now."""
    local = local_time(now, person.tz)
    period = local.date().isoformat() if local else ""

    def skip(reason: str) -> Decision:
        return Decision(person.user_id, None, period, reason, local)

    mine = person.balance
    if person.gone:
        return skip("not an active person in Slack")
    if not person.preferences.nudges:
        return skip("opted out of nudges")
    if settings.policy == "off":
        return skip("give-first policy is off for the workspace")
    counts = f"received {mine.received}, gave {mine.given} in {settings.window_days} days"
    if mine.taken < max(1, settings.threshold):
        return skip(f"in balance ({counts})")
    if local is None:
        return skip("timezone unknown")
    if not in_window(
        local, settings.nudge_weekdays, settings.nudge_start_hour, settings.nudge_end_hour
    ):
        return skip(f"outside the delivery window ({describe(local)})")
    newcomer = mine.total < settings.newcomer_events
    kind = WELCOME if newcomer and not person.preferences.welcomed else GIVEBACK
    last = person.last_contact
    cooldown = timedelta(days=settings.cooldown_days)
    # The slack keeps a weekly nudge weekly when this week's sweep runs minutes earlier.
    if last is not None and last.period != period and now - last.at < cooldown - COOLDOWN_SLACK:
        return skip(f"cooldown until {(last.at + cooldown):%Y-%m-%d %H:%M} UTC")
    why = "newcomer, welcome instead of a nudge" if kind == WELCOME else "in deficit"
    return Decision(person.user_id, kind, period, f"{why} ({counts}, {describe(local)})", local)


def daytime(local: datetime, settings: WorkspaceSettings) -> bool:
    """Reminders about an ask: any weekday, within the workspace's delivery hours."""
    return in_window(local, WEEKDAYS, settings.nudge_start_hour, settings.nudge_end_hour)


def asks_for(
    user_id: str, asks: list[Ask], unreturned: list[PersonCount], limit: int = MAX_ASKS_IN_NUDGE
) -> list[Ask]:
    """Up to ``limit`` open asks this person could help with: their helpers' first, then oldest."""
    owed = {p.user_id: rank for rank, p in enumerate(unreturned)}
    candidates = [a for a in asks if a.asker_id != user_id and user_id not in a.offers]
    candidates.sort(key=lambda a: (owed.get(a.asker_id, len(owed)), a.created_at, a.id))
    return candidates[:limit]


def needs_closing(ask: Ask, now: datetime) -> bool:
    """Offers came but the ask is still open after three days: remind the asker once."""
    return bool(ask.offers) and now - ask.created_at >= CLOSE_LOOP_AFTER


def needs_resurfacing(ask: Ask, now: datetime) -> bool:
    """Nobody offered within two days: show it to people who helped the asker before."""
    return not ask.offers and now - ask.created_at >= RESURFACE_AFTER


def iso_week(local: datetime) -> str:
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"
