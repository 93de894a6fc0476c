"""Favours, pure: the give-first check, which open asks to suggest, who is asked too often.

Dataclasses in, dataclasses out; no Slack, no SQL. The store hands over a person's giving
and asking (bot.domain.records.Balance) and the open asks; the views render what comes back.

Gratitude is never a debt: thanks a person volunteers credit the helper and cost them
nothing, so only asks (and help credited on them) weigh against giving here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.network import is_anonymous
from bot.domain.parsing import MENTION, PLAIN_AT, clean_note
from bot.domain.records import Balance
from bot.domain.settings import WorkspaceSettings

ASK_TEXT_MAX = 1000
SUGGESTED_ASKS = 3
# An ask marked urgent is never held, in any policy: at the start of the text (before or after
# the people named), `urgent:`, `urgent!`, `!urgent` or `[urgent]`, or 至急 / 緊急 (also in
# 【】). The marker stays in the text as typed, so everyone sees it is urgent.
URGENT = re.compile(
    r"(?:!urgent\b|urgent\s*[:!！：]|\[urgent\]|【\s*(?:至急|緊急)\s*】|(?:至急|緊急)(?:[\s:：、!！]+|$))\s*",
    re.IGNORECASE,
)

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
    urgent: bool = False


def parse_ask(text: str, invoker: str) -> AskRequest:
    """Leading mentions are the people asked; mentions later on are part of the request.

    An urgent marker (``URGENT``) may come first or right after those mentions; it stays at
    the start of the text. A marker and nothing else is no request.
    """
    rest = (text or "").strip()
    marker = ""
    if found := URGENT.match(rest):
        marker, rest = found.group(0), rest[found.end() :]
    named: list[str] = []
    while match := MENTION.match(rest):
        named.append(match.group(1))
        rest = rest[match.end() :].lstrip(" ,、")
    if not marker and (found := URGENT.match(rest)):
        marker, rest = found.group(0), rest[found.end() :]
    body, truncated = clean_note(f"{marker}{rest}" if rest.strip() else "", ASK_TEXT_MAX)
    return AskRequest(
        asked=tuple(dict.fromkeys(u for u in named if u != invoker)),
        text=body,
        truncated=truncated,
        self_mentioned=invoker in named,
        plain_at=not named and bool(PLAIN_AT.match(rest)),
        urgent=bool(marker and body),
    )


def is_urgent(text: str) -> bool:
    """Whether an ask's text (as stored: the people named taken out) is marked urgent."""
    return bool(URGENT.match(text.strip()))


def is_newcomer(balance: Balance, settings: WorkspaceSettings) -> bool:
    """Fewer help events (given or received, any source) than the workspace's allowance:
    welcomed, never held at /ask, never invited to lend a hand. An allowance of 0: nobody."""
    return balance.events < settings.newcomer_events


def asks_outnumber_giving(balance: Balance, settings: WorkspaceSettings) -> bool:
    """Their recent asks clearly outnumber their recent giving: by the workspace's threshold.

    The one rule behind both the give-first moment at /ask and the scheduled invitations.
    """
    return balance.asks_beyond_giving >= max(1, settings.threshold)


@dataclass(frozen=True)
class GiveFirst:
    """The decision before an ask is posted."""

    balance: Balance
    hold: bool  # do not post yet: show asks they could help with first
    allow_anyway: bool  # "Post it now" is offered (soft); strict: an offer posts it
    reason: str  # off | urgent | newcomer | giving | nothing to help with | asking more


def give_first(
    balance: Balance,
    settings: WorkspaceSettings,
    *,
    urgent: bool = False,
    could_help: bool = True,
) -> GiveFirst:
    """Hold the ask while their asks clearly outnumber their giving, and there are open asks
    they could help with (``could_help``): the give-first moment invites, it never blocks
    with nothing to do. Urgent asks and newcomers' asks are never held.
    """

    def post(reason: str) -> GiveFirst:
        return GiveFirst(balance, hold=False, allow_anyway=True, reason=reason)

    if settings.policy == "off":
        return post("off")
    if urgent:
        return post("urgent")
    if is_newcomer(balance, settings):
        return post("newcomer")
    if not asks_outnumber_giving(balance, settings):
        return post("giving")
    if not could_help:
        return post("nothing to help with")
    return GiveFirst(
        balance, hold=True, allow_anyway=settings.policy != "strict", reason="asking more"
    )


def suggest_asks(
    asks: Sequence[Ask],
    user_id: str,
    helpers: Mapping[str, int],
    *,
    limit: int = SUGGESTED_ASKS,
) -> list[Ask]:
    """Open asks ``user_id`` could help with, best first.

    First asks from people who helped them (most help first) or that name them; then asks
    nobody offered on yet, oldest first; then the rest, oldest first. Their own asks, asks
    they already offered on and asks of forgotten people are left out.
    """

    def rank(ask: Ask) -> tuple[int, int, float, int]:
        helped_me = helpers.get(ask.asker_id, 0)
        if helped_me or user_id in ask.asked:
            return (0, -helped_me, ask.created_at.timestamp(), ask.id)
        return (1 if not ask.offers else 2, 0, ask.created_at.timestamp(), ask.id)

    candidates = [
        a
        for a in asks
        if a.is_open
        and a.asker_id != user_id
        and user_id not in a.offers
        and not is_anonymous(a.asker_id)  # a forgotten person is never named
    ]
    return sorted(candidates, key=rank)[:limit]


def over_asked(
    asked: Sequence[str], open_counts: Mapping[str, int], *, limit: int = 3
) -> list[str]:
    """The named people who already have ``limit`` or more open asks waiting on them."""
    return [u for u in asked if open_counts.get(u, 0) >= limit]
