"""Favours, pure: the give-first check, which open asks to suggest, who is asked too often.

Dataclasses in, dataclasses out; no Slack, no SQL. The store hands over a person's help
events and the open asks; the handlers render what comes back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.parsing import MENTION, PLAIN_AT, clean_note
from bot.domain.records import Balance
from bot.domain.settings import WorkspaceSettings

ASK_TEXT_MAX = 1000
SUGGESTED_ASKS = 3
SHOWN_UNRETURNED = 5

HELD, OPEN, RESOLVED, WITHDRAWN = "held", "open", "resolved", "withdrawn"


@dataclass(frozen=True)
class Ask:
    """A favour request. ``held``: stopped by the give-first check, not posted (yet)."""

    id: int
    team_id: str
    asker_id: str
    text: str
    channel_id: str | None
    status: str
    created_at: datetime
    asked: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()  # in the order people offered
    helpers: tuple[str, ...] = ()  # credited when resolved
    closed_at: datetime | None = None
    touched_at: datetime | None = None  # the asker said they still need help
    closed_by: str | None = None  # asker | auto (nobody offered in time)
    declined: tuple[str, ...] = ()  # named, and said "Not this time"

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class AskRequest:
    """``/ask [@a @b] <what you need>``: the people named up front, and the request."""

    asked: tuple[str, ...]
    text: str
    truncated: bool = False
    self_mentioned: bool = False
    plain_at: bool = False


def parse_ask(text: str, invoker: str) -> AskRequest:
    """Leading mentions are the people asked; mentions later on are part of the request."""
    rest = (text or "").strip()
    named: list[str] = []
    while match := MENTION.match(rest):
        named.append(match.group(1))
        rest = rest[match.end() :].lstrip(" ,、")
    body, truncated = clean_note(rest, ASK_TEXT_MAX)
    return AskRequest(
        asked=tuple(dict.fromkeys(u for u in named if u != invoker)),
        text=body,
        truncated=truncated,
        self_mentioned=invoker in named,
        plain_at=not named and bool(PLAIN_AT.match(rest)),
    )


@dataclass(frozen=True)
class GiveFirst:
    """The decision before an ask is posted."""

    balance: Balance
    hold: bool  # do not post yet: suggest giving first
    allow_anyway: bool  # an "Ask anyway" button is offered
    reason: str  # off | newcomer | balanced | taker


def give_first(balance: Balance, settings: WorkspaceSettings) -> GiveFirst:
    """Hold the ask when the person took ``threshold`` or more than they gave.

    Newcomers (fewer than ``newcomer_events`` recorded events) are never held back: they
    have not had the chance to give yet.
    """
    if settings.policy == "off":
        return GiveFirst(balance, hold=False, allow_anyway=True, reason="off")
    if balance.total < settings.newcomer_events:
        return GiveFirst(balance, hold=False, allow_anyway=True, reason="newcomer")
    if balance.taken < settings.threshold:
        return GiveFirst(balance, hold=False, allow_anyway=True, reason="balanced")
    return GiveFirst(balance, hold=True, allow_anyway=settings.policy != "strict", reason="taker")


def suggest_asks(
    asks: Sequence[Ask],
    user_id: str,
    helpers: Mapping[str, int],
    *,
    limit: int = SUGGESTED_ASKS,
) -> list[Ask]:
    """Open asks ``user_id`` could help with, best first.

    First asks from people who helped them (most help first) or that name them; then asks
    nobody offered on yet, oldest first; then the rest, oldest first. Their own asks and
    asks they already offered on are left out.
    """

    def rank(ask: Ask) -> tuple[int, int, float, int]:
        owed = helpers.get(ask.asker_id, 0)
        if owed or user_id in ask.asked:
            return (0, -owed, ask.created_at.timestamp(), ask.id)
        return (1 if not ask.offers else 2, 0, ask.created_at.timestamp(), ask.id)

    candidates = [
        a for a in asks if a.is_open and a.asker_id != user_id and user_id not in a.offers
    ]
    return sorted(candidates, key=rank)[:limit]


def over_asked(
    asked: Sequence[str], open_counts: Mapping[str, int], *, limit: int = 3
) -> list[str]:
    """The named people who already have ``limit`` or more open asks waiting on them."""
    return [u for u in asked if open_counts.get(u, 0) >= limit]
