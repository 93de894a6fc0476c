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
    asks_for,
    decide,
    in_window,
    iso_week,
    needs_closing,
    needs_resurfacing,
)
from bot.domain.records import Balance, PersonCount
from bot.domain.settings import UserPreferences, WorkspaceSettings
from tests.support.asks import ask_id, named_ask

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
SETTINGS = WorkspaceSettings()
OWES = Balance(given=1, received=5, total=6)


def ask(name: str, asker: str, *, days: float = 0, offers: tuple[str, ...] = ()) -> Ask:
    return named_ask(name, asker, NOW, days=days, offers=offers)


def person(**changes: object) -> Person:
    return dataclasses.replace(Person("U1", "America/New_York", OWES), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("who", "now", "kind", "reason"),
    [
        (person(), NOW, "giveback", "in deficit"),
        (person(tz="Asia/Tokyo"), NOW, None, "outside the delivery window (Tue 00:00"),
        (person(tz="Asia/Tokyo"), NOW - timedelta(hours=14), "giveback", "in deficit"),
        (person(), NOW + timedelta(hours=2), None, "outside the delivery window (Mon 12:00"),
        (person(), NOW - timedelta(minutes=1), None, "outside the delivery window (Mon 09:59"),
        (person(), NOW + timedelta(days=1), None, "outside the delivery window (Tue"),
        (person(balance=Balance(2, 4, 6)), NOW, None, "in balance"),
        (person(preferences=UserPreferences(nudges=False)), NOW, None, "opted out"),
        (person(gone=True), NOW, None, "not an active person"),
        (person(tz=None), NOW, None, "timezone unknown"),
        (person(tz="Not/AZone"), NOW, None, "timezone unknown"),
        (person(balance=Balance(0, 3, 3)), NOW, "welcome", "newcomer"),
        (
            person(balance=Balance(0, 3, 3), preferences=UserPreferences(welcomed=True)),
            NOW,
            "giveback",
            "in deficit",
        ),
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
            "in deficit",
        ),
        (  # a claim for today's own key is not a reason to wait: the log decides
            person(last_contact=LastContact(NOW - timedelta(minutes=15), "2026-11-23")),
            NOW,
            "giveback",
            "in deficit",
        ),
    ],
)
def test_decide(who: Person, now: datetime, kind: str | None, reason: str) -> None:
    decision = decide(who, SETTINGS, now)
    assert decision.kind == kind
    assert decision.reason.startswith(reason), decision.reason


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


def test_asks_for_prefers_the_people_who_helped_you_then_the_oldest() -> None:
    asks = [
        ask("a1", "UX", days=5),
        ask("a2", "UBOB", days=1),
        ask("a3", "U1", days=9),  # their own
        ask("a4", "UY", days=7, offers=("U1",)),  # they already offered
        ask("a5", "UZ", days=8),
        ask("a6", "UCAROL", days=2),
    ]
    owed = [PersonCount("UCAROL", 3), PersonCount("UBOB", 1)]
    assert [a.id for a in asks_for("U1", asks, owed)] == [ask_id(n) for n in ("a6", "a2", "a5")]


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
