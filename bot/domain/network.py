"""Pure insight logic: two-way ties, people to thank back, the breadth leaderboard.

The store aggregates in SQL (one row per counterpart, one row per giver); these functions
only classify and order those small aggregates, so they are easy to test table-driven.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ANON_PREFIX = "anon-"
NETWORK_LIMIT = 10
THANK_BACK_LIMIT = 10
# How many counterparts the store picks for a network view: enough for both lists.
VIEW_LIMIT = max(NETWORK_LIMIT, THANK_BACK_LIMIT)
LEADERBOARD_LIMIT = 10
PERIODS: dict[str, timedelta | None] = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "all": None,
}


def is_anonymous(user_id: str) -> bool:
    """A forgotten person: their rows keep counting, but nobody can thank or rank them."""
    return user_id.startswith(ANON_PREFIX)


@dataclass(frozen=True)
class Counterpart:
    """Help between the person looking and one colleague, aggregated both ways.

    ``given``: the person helped this colleague; ``received``: the colleague helped them.
    """

    user_id: str
    given: int = 0
    received: int = 0
    last_given: datetime | None = None
    last_received: datetime | None = None

    @property
    def last_exchange(self) -> datetime | None:
        moments = [m for m in (self.last_given, self.last_received) if m is not None]
        return max(moments) if moments else None

    @property
    def two_way(self) -> bool:
        return self.given > 0 and self.received > 0


def _recency(moment: datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


def real_network(counterparts: list[Counterpart], limit: int = NETWORK_LIMIT) -> list[Counterpart]:
    """People with help in both directions, strongest first.

    Strength is the weaker direction (a tie is as strong as its thinner side), then the
    total, then the most recent exchange; the user id keeps the order stable.
    """
    ties = [c for c in counterparts if c.two_way and not is_anonymous(c.user_id)]
    ties.sort(
        key=lambda c: (
            -min(c.given, c.received),
            -(c.given + c.received),
            -_recency(c.last_exchange),
            c.user_id,
        )
    )
    return ties[:limit]


def thank_back(counterparts: list[Counterpart], limit: int = THANK_BACK_LIMIT) -> list[Counterpart]:
    """Colleagues who helped the person and were never helped in return: most help first."""
    owed = [
        c for c in counterparts if c.received > 0 and c.given == 0 and not is_anonymous(c.user_id)
    ]
    owed.sort(key=lambda c: (-c.received, -_recency(c.last_received), c.user_id))
    return owed[:limit]


@dataclass(frozen=True)
class Breadth:
    """One giver on the leaderboard: how many different colleagues they helped, how often."""

    user_id: str
    colleagues: int
    events: int
    last: datetime


def rank_breadth(
    rows: list[Breadth], hidden: frozenset[str] = frozenset(), limit: int = LEADERBOARD_LIMIT
) -> list[Breadth]:
    """Most different colleagues helped first; equal breadth: whoever helped most recently.

    Hidden and forgotten people never appear. Only givers are ranked: there is no list of takers.
    """
    shown = [r for r in rows if r.user_id not in hidden and not is_anonymous(r.user_id)]
    shown.sort(key=lambda r: (-r.colleagues, -_recency(r.last), r.user_id))
    return shown[:limit]


@dataclass(frozen=True)
class TopRequest:
    """What ``/giveback top ...`` asked for: a period to show, or hiding/showing oneself."""

    period: str | None = None  # week | month | all
    visibility: str | None = None  # hide | show
    error: str | None = None


def parse_top(args: str) -> TopRequest:
    word = (args or "").strip().lower()
    if word in ("", "month"):
        return TopRequest(period="month")
    if word in PERIODS:
        return TopRequest(period=word)
    if word in ("hide", "show"):
        return TopRequest(visibility=word)
    return TopRequest(error=word[:50])


def period_start(period: str, now: datetime) -> datetime | None:
    length = PERIODS[period]
    return now - length if length is not None else None
