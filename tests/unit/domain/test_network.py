"""Pure insight logic: ties, people to thank back, breadth ranking, /giveback top arguments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.network import (
    Breadth,
    Counterpart,
    TopRequest,
    parse_top,
    period_start,
    rank_breadth,
    real_network,
    thank_back,
)

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def cp(user: str, given: int, received: int, last_given: int = 0, last_received: int = 0):
    return Counterpart(
        user,
        given,
        received,
        day(last_given) if given else None,
        day(last_received) if received else None,
    )


@pytest.mark.parametrize(
    ("counterparts", "expected"),
    [
        ([], []),
        # one-way either direction is not a tie
        ([cp("UA", 3, 0), cp("UB", 0, 4)], []),
        # the thinner side decides strength: 2/2 beats 9/1
        ([cp("UA", 9, 1), cp("UB", 2, 2)], ["UB", "UA"]),
        # equal thinner side: larger total first
        ([cp("UA", 1, 1), cp("UB", 1, 5)], ["UB", "UA"]),
        # equal counts: the most recent exchange (either way) first
        ([cp("UA", 1, 1, 1, 2), cp("UB", 1, 1, 5, 0)], ["UB", "UA"]),
        # all equal: stable by id
        ([cp("UB", 1, 1), cp("UA", 1, 1)], ["UA", "UB"]),
        # forgotten people are not shown
        ([cp("anon-abc", 2, 2), cp("UA", 1, 1)], ["UA"]),
    ],
)
def test_real_network(counterparts: list[Counterpart], expected: list[str]) -> None:
    assert [c.user_id for c in real_network(counterparts)] == expected


def test_real_network_is_capped() -> None:
    many = [cp(f"U{i:03d}", 1, 1) for i in range(30)]
    assert len(real_network(many, limit=10)) == 10


@pytest.mark.parametrize(
    ("counterparts", "expected"),
    [
        ([], []),
        # helped me, never helped back -> listed; I helped them too -> not
        ([cp("UA", 0, 2), cp("UB", 1, 2), cp("UC", 3, 0)], ["UA"]),
        # most help first, then the most recent
        ([cp("UA", 0, 1, 0, 9), cp("UB", 0, 3, 0, 1), cp("UC", 0, 1, 0, 2)], ["UB", "UA", "UC"]),
        ([cp("anon-x", 0, 5)], []),
    ],
)
def test_thank_back(counterparts: list[Counterpart], expected: list[str]) -> None:
    assert [c.user_id for c in thank_back(counterparts)] == expected


def br(user: str, colleagues: int, events: int, last: int) -> Breadth:
    return Breadth(user, colleagues, events, day(last))


@pytest.mark.parametrize(
    ("rows", "hidden", "expected"),
    [
        ([], frozenset(), []),
        # breadth beats volume: 3 colleagues once each beat 1 colleague 20 times
        ([br("UA", 1, 20, 5), br("UB", 3, 3, 1)], frozenset(), ["UB", "UA"]),
        # equal breadth: whoever helped most recently first
        ([br("UA", 2, 9, 1), br("UB", 2, 2, 4)], frozenset(), ["UB", "UA"]),
        # hidden people and forgotten people never appear
        ([br("UA", 5, 5, 1), br("UB", 2, 2, 1), br("anon-1", 9, 9, 9)], frozenset({"UA"}), ["UB"]),
    ],
)
def test_rank_breadth(rows: list[Breadth], hidden: frozenset[str], expected: list[str]) -> None:
    assert [r.user_id for r in rank_breadth(rows, hidden)] == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", TopRequest(period="month")),
        ("week", TopRequest(period="week")),
        (" WEEK ", TopRequest(period="week")),
        ("month", TopRequest(period="month")),
        ("all", TopRequest(period="all")),
        ("hide", TopRequest(visibility="hide")),
        ("show", TopRequest(visibility="show")),
        ("yesterday", TopRequest(error="yesterday")),
    ],
)
def test_parse_top(args: str, expected: TopRequest) -> None:
    assert parse_top(args) == expected


def test_period_start() -> None:
    assert period_start("week", T0) == T0 - timedelta(days=7)
    assert period_start("month", T0) == T0 - timedelta(days=30)
    assert period_start("all", T0) is None
