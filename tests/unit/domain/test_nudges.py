"""Pure nudge policy: who gets what when, and which asks they see (table-driven)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.digest import most_common_timezone
from bot.domain.favours import Ask
from bot.domain.nudges import (
    LastContact,
    Person,
    could_help_counts,
    decide,
    in_window,
    iso_week,
    needs_closing,
    needs_resurfacing,
)
from bot.domain.records import Balance
from bot.domain.settings import UserPreferences, WorkspaceSettings
from tests.support.asks import named_ask

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
SETTINGS = WorkspaceSettings()
ASKING = Balance(giving=1, asking=5, events=6, started=True)  # four asks beyond giving
WELCOMED = UserPreferences(welcomed=True)


def ask(name: str, asker: str, *, days: float = 0, offers: tuple[str, ...] = ()) -> Ask:
    return named_ask(name, asker, NOW, days=days, offers=offers)


def person(**changes: object) -> Person:
    asking = Person("U1", "America/New_York", ASKING, preferences=WELCOMED, could_help=2)
    return dataclasses.replace(asking, **changes)  # type: ignore[arg-type]


def balance(asking: int, giving: int, events: int) -> Balance:
    return Balance(giving=giving, asking=asking, events=events, started=True)


@pytest.mark.parametrize(
    ("who", "now", "kind", "reason"),
    [
        (person(), NOW, "giveback", "asking more than giving (asked 5, gave 1 in 90 days)"),
        (person(tz="Asia/Tokyo"), NOW, None, "outside the delivery window (Tue 00:00"),
        (person(tz="Asia/Tokyo"), NOW - timedelta(hours=14), "giveback", "asking more"),
        (person(), NOW + timedelta(hours=2), None, "outside the delivery window (Mon 12:00"),
        (person(), NOW - timedelta(minutes=1), None, "outside the delivery window (Mon 09:59"),
        (person(), NOW + timedelta(days=1), None, "outside the delivery window (Tue"),
        (person(balance=balance(4, 2, 6)), NOW, None, "gives as much as asks (asked 4, gave 2"),
        (person(balance=balance(0, 0, 12)), NOW, None, "has asked for nothing"),  # only thanks
        (person(balance=balance(0, 9, 12)), NOW, None, "has asked for nothing"),  # only gives
        (person(preferences=UserPreferences(nudges=False)), NOW, None, "opted out"),
        (person(gone=True), NOW, None, "not an active person"),
        (person(tz=None), NOW, None, "timezone unknown"),
        (person(tz="Not/AZone"), NOW, None, "timezone unknown"),
        (person(balance=balance(5, 0, 4)), NOW, None, "newcomer (4 help events, fewer than 5)"),
        (person(could_help=0), NOW, None, "no open asks to help with"),
        (person(prompted_at=NOW - timedelta(hours=3)), NOW, None, "saw the give-first prompt"),
        (person(prompted_at=NOW - timedelta(days=1)), NOW, "giveback", "asking more"),
        # Everyone who started using giveback is welcomed once: askers, thankers, the thanked.
        (person(preferences=UserPreferences()), NOW, "welcome", "started using giveback"),
        (
            person(preferences=UserPreferences(), balance=balance(0, 0, 1)),
            NOW,
            "welcome",
            "started using giveback",
        ),
        (person(preferences=UserPreferences(), balance=Balance()), NOW, None, "has not used"),
        (
            person(last_contact=LastContact(NOW - timedelta(days=6), "2026-11-17")),
            NOW,
            None,
            "cooldown until 2026-11-24",
        ),
        (  # a week ago, if a little later in the day: due again
            person(last_contact=LastContact(NOW - timedelta(days=7, minutes=-15), "2026-11-16")),
            NOW,
            "giveback",
            "asking more",
        ),
        (  # a claim for today's own key is not a reason to wait: the log decides
            person(last_contact=LastContact(NOW - timedelta(minutes=15), "2026-11-23")),
            NOW,
            "giveback",
            "asking more",
        ),
    ],
)
def test_decide(who: Person, now: datetime, kind: str | None, reason: str) -> None:
    decision = decide(who, SETTINGS, now)
    assert decision.kind == kind
    assert decision.reason.startswith(reason), decision.reason


def test_the_welcome_waits_for_nobody_but_the_clock() -> None:
    """Newcomers, givers and thankers get their welcome once; policy off still welcomes."""
    off = dataclasses.replace(SETTINGS, policy="off")
    for mine in (balance(0, 0, 1), balance(0, 3, 3), balance(7, 0, 2)):
        who = person(balance=mine, preferences=UserPreferences())
        assert decide(who, SETTINGS, NOW).kind == "welcome"
        assert decide(who, off, NOW).kind == "welcome"


def test_policy_off_sends_no_give_back_nudges() -> None:
    off = dataclasses.replace(SETTINGS, policy="off")
    assert decide(person(), off, NOW).kind is None


def test_the_period_is_the_local_date() -> None:
    tokyo = decide(person(tz="Asia/Tokyo"), SETTINGS, NOW - timedelta(hours=14))
    assert tokyo.period == "2026-11-23"
    assert iso_week(NOW) == "2026-W48"


@pytest.mark.parametrize(
    ("hour", "weekday_ok", "expected"),
    [(9, True, False), (10, True, True), (11, True, True), (12, True, False), (10, False, False)],
)
def test_in_window(hour: int, weekday_ok: bool, expected: bool) -> None:
    local = datetime(2026, 11, 23 if weekday_ok else 24, hour, 30)
    assert in_window(local, (0,), 10, 12) is expected


def test_could_help_counts_leave_out_own_asks_and_offers_made() -> None:
    asks = [
        ask("c1", "UX"),
        ask("c2", "U1"),  # their own
        ask("c3", "UY", offers=("U1",)),  # they already offered
        ask("c4", "UZ", offers=("UX",)),
    ]
    could_help = could_help_counts(asks)
    assert (could_help("U1"), could_help("UX"), could_help("UNEW")) == (2, 2, 4)


@pytest.mark.parametrize(
    ("days", "offers", "closing", "resurfacing"),
    [
        (1.9, (), False, False),
        (2, (), False, True),
        (2.9, ("UB",), False, False),
        (3, ("UB",), True, False),
    ],
)
def test_close_the_loop_and_resurface_thresholds(
    days: float, offers: tuple[str, ...], closing: bool, resurfacing: bool
) -> None:
    the_ask = ask("a", "UA", days=days, offers=offers)
    assert needs_closing(the_ask, NOW) is closing
    assert needs_resurfacing(the_ask, NOW) is resurfacing


def test_digest_timezone_follows_most_people() -> None:
    assert most_common_timezone(["Asia/Tokyo", None, "Asia/Tokyo", "Europe/London"]) == "Asia/Tokyo"
    assert most_common_timezone([None]) == "UTC"
