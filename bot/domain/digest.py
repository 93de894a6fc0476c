"""The weekly digest, pure: what the week's numbers show (bot.views.nudges renders it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.nudges import Ask
from bot.domain.records import PersonCount

WEEK = timedelta(days=7)
TOP = 3


@dataclass(frozen=True)
class Digest:
    thanks: int
    widest: list[PersonCount] = field(default_factory=list)  # by distinct colleagues helped
    ties: list[tuple[str, str]] = field(default_factory=list)  # newly two-way pairs, named
    waiting: list[Ask] = field(default_factory=list)  # open asks with no offer yet
    unnamed_ties: int = 0  # new ties counted but not named (someone in them hides)

    @property
    def empty(self) -> bool:
        """Nothing to celebrate and nobody waiting: a post would only say "nothing happened"."""
        return not (self.thanks or self.widest or self.ties or self.waiting)


def build_digest(
    thanks: int,
    widest: list[PersonCount],
    ties: list[tuple[str, str]],
    asks: list[Ask],
    *,
    hidden: set[str] = frozenset(),  # type: ignore[assignment]
    leaderboard: bool = True,
) -> Digest:
    """Pick what the digest shows: people who hide from rankings never appear in them.

    A tie is as private as the network view: the digest names a pair only when the
    leaderboard is on and neither of the two chose ``top hide``; the rest are only counted.
    """
    top = [p for p in widest if p.user_id not in hidden][:TOP] if leaderboard else []
    named = [(a, b) for a, b in ties if a not in hidden and b not in hidden] if leaderboard else []
    waiting = sorted((a for a in asks if not a.offers), key=lambda a: (a.created_at, a.id))
    return Digest(thanks, top, named, waiting, unnamed_ties=len(ties) - len(named))


def most_common_timezone(timezones: list[str | None], default: str = "UTC") -> str:
    """The channel has no timezone: the digest follows most of the workspace."""
    counts = Counter(tz for tz in timezones if tz)
    return counts.most_common(1)[0][0] if counts else default
