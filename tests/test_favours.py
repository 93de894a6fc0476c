"""Pure favours logic on tricky data: windows, caps, newcomers, ties, ranking."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.announce import Delivery, plan_announcement
from bot.favours import (
    OPEN,
    RESOLVED,
    Ask,
    Balance,
    balance_of,
    give_first,
    helped_by,
    over_asked,
    parse_ask,
    suggest_asks,
    suggest_helpers,
    unreturned_helpers,
)
from bot.models import HelpEvent, PersonCount
from bot.preferences import WorkspaceSettings

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ME, A, B, C, D = "UME", "UA", "UB", "UC", "UD"
_n = iter(range(1, 10_000))


def ev(giver: str, receiver: str, days_ago: float = 1, *, counted: bool = True) -> HelpEvent:
    n = next(_n)
    return HelpEvent(
        team_id="T",
        giver_id=giver,
        receiver_id=receiver,
        note="",
        source="command",
        channel_id=None,
        created_at=NOW - timedelta(days=days_ago),
        key=f"k{n}",
        counted=counted,
        id=n,
    )


def ask(
    id: int,
    asker: str,
    days_ago: float = 1,
    *,
    offers: tuple[str, ...] = (),
    asked: tuple[str, ...] = (),
    status: str = OPEN,
) -> Ask:
    return Ask(
        id=id,
        team_id="T",
        asker_id=asker,
        text=f"ask {id}",
        channel_id="C",
        status=status,
        created_at=NOW - timedelta(days=days_ago),
        asked=asked,
        offers=offers,
    )


# ---- balance ---------------------------------------------------------------------------------


def test_window_edge_is_inclusive_and_one_second_older_is_out() -> None:
    edge = NOW - timedelta(days=90)
    events = [
        ev(A, ME, days_ago=90),  # exactly at the edge: in
        ev(B, ME, days_ago=90 + 1 / 86400),  # a second older: out of the window
        ev(ME, C, days_ago=0),  # now: in
    ]
    assert events[0].created_at == edge
    assert balance_of(events, ME, now=NOW, window_days=90) == Balance(
        given=1, received=1, total_events=3
    )


def test_cap_excluded_events_stay_out_of_balances_but_count_as_history() -> None:
    events = [ev(A, ME), ev(A, ME), ev(A, ME), ev(A, ME, counted=False), ev(A, ME, counted=False)]
    b = balance_of(events, ME, now=NOW, window_days=90)
    assert (b.received, b.given, b.total_events, b.taken) == (3, 0, 5, 3)


def test_other_peoples_events_are_ignored() -> None:
    b = balance_of([ev(A, B), ev(B, C)], ME, now=NOW, window_days=90)
    assert b == Balance(0, 0, 0)


@pytest.mark.parametrize(
    ("received", "given", "total", "policy", "hold", "anyway", "reason"),
    [
        (3, 0, 4, "soft", False, True, "newcomer"),  # 4 events: still a newcomer
        (5, 0, 5, "soft", True, True, "taker"),  # the 5th event ends the grace
        (4, 2, 6, "soft", False, True, "balanced"),  # taken 2 < threshold 3
        (5, 2, 7, "soft", True, True, "taker"),  # taken 3 == threshold: hold
        (5, 2, 7, "strict", True, False, "taker"),  # strict: no "Ask anyway"
        (9, 0, 9, "off", False, True, "off"),
        (0, 9, 9, "strict", False, True, "balanced"),  # a giver is never held
    ],
)
def test_give_first_decision(
    received: int, given: int, total: int, policy: str, hold: bool, anyway: bool, reason: str
) -> None:
    decision = give_first(Balance(given, received, total), WorkspaceSettings(policy=policy))
    assert (decision.hold, decision.allow_anyway, decision.reason) == (hold, anyway, reason)


def test_thresholds_come_from_the_workspace() -> None:
    settings = WorkspaceSettings(threshold=1, newcomer_events=0)
    assert give_first(Balance(0, 1, 1), settings).hold
    assert not give_first(Balance(1, 1, 2), settings).hold


# ---- who to mention, what to suggest ---------------------------------------------------------


def test_unreturned_helpers_most_help_first_then_latest_then_id() -> None:
    events = [
        ev(A, ME, 10),
        ev(A, ME, 9),  # A: twice
        ev(B, ME, 2),  # B: once, recent
        ev(C, ME, 5),  # C: once, older
        ev(D, ME, 3),
        ev(ME, D, 400),  # helped D back long ago: still "helped back"
        ev(ME, D, 400, counted=False),
        ev("UOLD", ME, 200),  # outside the window
    ]
    assert unreturned_helpers(events, ME, now=NOW, window_days=90) == [A, B, C]


def test_unreturned_helpers_ties_break_on_id() -> None:
    events = [replace(ev(B, ME), created_at=NOW), replace(ev(A, ME), created_at=NOW)]
    assert unreturned_helpers(events, ME, now=NOW, window_days=90) == [A, B]


def test_suggestions_prefer_people_who_helped_me_then_unanswered_then_oldest() -> None:
    asks = [
        ask(1, C, days_ago=30, offers=(D,)),  # oldest, but someone offered already
        ask(2, D, days_ago=20),  # unanswered
        ask(3, A, days_ago=1),  # A helped me once
        ask(4, B, days_ago=2),  # B helped me twice
        ask(5, ME, days_ago=50),  # my own
        ask(6, C, days_ago=40, offers=(ME,)),  # I already offered
        ask(7, D, days_ago=60, status=RESOLVED),  # closed
        ask(8, D, days_ago=10),  # unanswered, newer than 2
        ask(9, C, days_ago=5, asked=(ME,)),  # names me
    ]
    helpers = helped_by([ev(B, ME), ev(B, ME), ev(A, ME)], ME)
    ranked = suggest_asks(asks, ME, helpers, limit=10)
    assert [a.id for a in ranked] == [4, 3, 9, 2, 8, 1]
    assert [a.id for a in suggest_asks(asks, ME, helpers)] == [4, 3, 9]


def test_suggestions_tie_on_time_break_on_id() -> None:
    asks = [ask(12, C, days_ago=3), ask(11, D, days_ago=3)]
    assert [a.id for a in suggest_asks(asks, ME, {})] == [11, 12]


def test_over_asked_boundary_is_the_limit() -> None:
    assert over_asked([A, B, C], {A: 2, B: 3, C: 7}, limit=3) == [B, C]
    assert over_asked([], {A: 9}) == []


def test_suggest_helpers_skips_the_asker_the_busy_and_the_over_asked() -> None:
    helped = [PersonCount(A, 5), PersonCount(ME, 4), PersonCount(B, 3), PersonCount(C, 2)]
    assert suggest_helpers(helped, exclude=[ME, A], busy={B: 3}, busy_limit=3) == [C]
    assert suggest_helpers(helped, exclude=[], busy={}, limit=2) == [A, ME]


# ---- parsing and announcements ---------------------------------------------------------------


def test_parse_ask_takes_leading_mentions_and_keeps_later_ones_in_the_text() -> None:
    parsed = parse_ask(f"<@{A}|a>, <@{B}> <@{ME}> can you look at <@{C}>'s PR?", ME)
    assert parsed.asked == (A, B)
    assert parsed.self_mentioned
    assert parsed.text == f"can you look at <@{C}>'s PR?"


def test_parse_ask_without_text_or_with_a_typed_at() -> None:
    assert parse_ask(f"<@{A}>", ME).text == ""
    assert parse_ask("@bob help with the deploy", ME).plain_at
    long = parse_ask("x" * 1500, ME)
    assert long.truncated and len(long.text) == 1000


@pytest.mark.parametrize(
    ("mode", "message_ts", "thread_ts", "expected"),
    [
        ("channel", None, None, Delivery("respond")),
        ("thread", None, None, Delivery("respond")),
        ("private", None, None, Delivery("private")),
        ("channel", "1.1", None, Delivery("post", thread_ts="1.1", broadcast=True)),
        ("thread", "1.2", "1.1", Delivery("post", thread_ts="1.1", broadcast=False)),
        ("private", "1.2", "1.1", Delivery("private")),
    ],
)
def test_plan_announcement(
    mode: str, message_ts: str | None, thread_ts: str | None, expected: Delivery
) -> None:
    assert plan_announcement(mode, message_ts=message_ts, thread_ts=thread_ts) == expected


def test_every_favours_string_has_the_same_placeholders_in_japanese() -> None:
    from bot.catalog import placeholders
    from bot.strings import asks

    assert asks.EN.keys() == asks.JA.keys()
    for key, english in asks.EN.items():
        assert placeholders(english) == placeholders(asks.JA[key]), key
