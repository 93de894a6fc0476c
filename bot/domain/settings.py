"""Workspace settings and personal preferences: typed, with defaults, stored as JSON."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any, Self

POLICIES = ("soft", "strict", "off")


class _JsonRecord:
    """Round-trips a dataclass through a JSON object, tolerating unknown and missing keys."""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Self:
        known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
        values = {}
        for name, value in (data or {}).items():
            if name in known and value is not None:
                values[name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)


@dataclass(frozen=True)
class WorkspaceSettings(_JsonRecord):
    """What a workspace admin can tune (``/giveback config``)."""

    threshold: int = 3  # received - given at which we suggest giving first
    window_days: int = 90
    policy: str = "soft"  # soft | strict | off
    newcomer_events: int = 5  # fewer recorded help events than this: never held back
    daily_pair_cap: int = 3  # same giver -> receiver counted at most this often a day
    busy_asks: int = 3  # someone with this many open asks addressed to them is over-asked
    checkin_days: int = 3  # an ask nobody offered on: one check-in with the asker after this
    autoclose_days: int = 14  # ...and it closes by itself after this (0: never)
    quiet_days: int = 60  # a two-way tie with no help either way this long is "going quiet"
    announce: str = "channel"  # channel | thread | private
    reaction_emoji: tuple[str, ...] = ("raised_hands", "pray", "heart_hands")
    nudge_weekdays: tuple[int, ...] = (0,)  # Monday = 0
    nudge_start_hour: int = 10
    nudge_end_hour: int = 12
    cooldown_days: int = 7
    digest_channel: str | None = None
    language: str | None = None  # None: the GIVEBACK_LANGUAGE default
    leaderboard: bool = True


@dataclass(frozen=True)
class UserPreferences(_JsonRecord):
    """What each person decides for themselves."""

    nudges: bool = True
    hide_from_top: bool = False
    detect_thanks: bool = True
    welcomed: bool = False
    home_seen: bool = False  # opened the Home tab at least once: worth republishing on changes
    suggestable: bool = True  # may be suggested as someone who could help with an ask
    hidden_ties: tuple[str, ...] = ()  # colleagues left out of their own network view
