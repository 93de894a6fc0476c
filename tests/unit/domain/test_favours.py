"""Pure favours logic on tricky data: windows, caps, newcomers, ties, ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.announce import Delivery, plan_announcement
from bot.domain.favours import (
    OPEN,
    RESOLVED,
    Ask,
    asks_outnumber_giving,
    give_first,
    is_newcomer,
    is_urgent,
    over_asked,
    parse_ask,
    suggest_asks,
)
from bot.domain.records import Balance, HelpEvent
from bot.domain.settings import WorkspaceSettings

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


# ---- giving, asking, the give-first decision -------------------------------------------------


def b(asking: int, giving: int, events: int) -> Balance:
    return Balance(giving=giving, asking=asking, events=events, started=True)


@pytest.mark.parametrize(
    ("asking", "giving", "events", "policy", "hold", "anyway", "reason"),
    [
        (3, 0, 4, "soft", False, True, "newcomer"),  # 4 events: still new to giveback
        (3, 0, 5, "soft", True, True, "asking more"),  # the 5th event: no longer new
        (4, 2, 6, "soft", False, True, "giving"),  # 2 asks beyond giving < threshold 3
        (5, 2, 7, "soft", True, True, "asking more"),  # 3 == threshold: hold
        (5, 2, 7, "strict", True, False, "asking more"),  # strict: no "Post it now"
        (9, 0, 9, "off", False, True, "off"),
        (0, 9, 9, "strict", False, True, "giving"),  # a giver is never held
        (0, 0, 40, "strict", False, True, "giving"),  # thanked 40 colleagues, asked nothing
    ],
)
def test_give_first_decision(
    asking: int, giving: int, events: int, policy: str, hold: bool, anyway: bool, reason: str
) -> None:
    decision = give_first(b(asking, giving, events), WorkspaceSettings(policy=policy))
    assert (decision.hold, decision.allow_anyway, decision.reason) == (hold, anyway, reason)


@pytest.mark.parametrize("policy", ["soft", "strict"])
def test_urgent_asks_and_nothing_to_help_with_are_never_held(policy: str) -> None:
    settings = WorkspaceSettings(policy=policy)
    leaning = b(asking=8, giving=0, events=20)
    assert give_first(leaning, settings).hold
    assert give_first(leaning, settings, urgent=True).reason == "urgent"
    assert not give_first(leaning, settings, urgent=True).hold
    assert not give_first(leaning, settings, could_help=False).hold


def test_thresholds_come_from_the_workspace() -> None:
    settings = WorkspaceSettings(threshold=1, newcomer_events=0)
    assert give_first(b(1, 0, 0), settings).hold
    assert not give_first(b(1, 1, 0), settings).hold
    assert is_newcomer(b(0, 0, 4), WorkspaceSettings())
    assert not is_newcomer(b(0, 0, 0), WorkspaceSettings(newcomer_events=0))  # 0 turns it off
    assert asks_outnumber_giving(b(3, 0, 9), WorkspaceSettings(threshold=0))  # at least one


# ---- who to mention, what to suggest ---------------------------------------------------------


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
    helpers = {B: 2, A: 1}  # how often each helped me
    ranked = suggest_asks(asks, ME, helpers, limit=10)
    assert [a.id for a in ranked] == [4, 3, 9, 2, 8, 1]
    assert [a.id for a in suggest_asks(asks, ME, helpers)] == [4, 3, 9]


def test_suggestions_tie_on_time_break_on_id() -> None:
    asks = [ask(12, C, days_ago=3), ask(11, D, days_ago=3)]
    assert [a.id for a in suggest_asks(asks, ME, {})] == [11, 12]


def test_over_asked_boundary_is_the_limit() -> None:
    assert over_asked([A, B, C], {A: 2, B: 3, C: 7}, limit=3) == [B, C]
    assert over_asked([], {A: 9}) == []


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
    ("typed", "urgent", "asked", "text"),
    [
        ("urgent: prod is down", True, (), "urgent: prod is down"),
        (f"urgent! <@{A}> prod is down", True, (A,), "urgent! prod is down"),
        (f"<@{A}> !urgent prod is down", True, (A,), "!urgent prod is down"),
        ("[URGENT] the release", True, (), "[URGENT] the release"),
        ("至急 本番が落ちています", True, (), "至急 本番が落ちています"),
        (f"【至急】<@{A}> 本番が落ちています", True, (A,), "【至急】本番が落ちています"),
        ("緊急：DB の復旧", True, (), "緊急：DB の復旧"),
        ("an urgent question about lunch", False, (), "an urgent question about lunch"),
        ("urgently need coffee", False, (), "urgently need coffee"),
        ("緊急時の連絡先を教えてください", False, (), "緊急時の連絡先を教えてください"),
        ("urgent:", False, (), ""),  # a marker and nothing else is no request
    ],
)
def test_parse_ask_marks_urgent_asks_and_keeps_the_marker_in_the_text(
    typed: str, urgent: bool, asked: tuple[str, ...], text: str
) -> None:
    parsed = parse_ask(typed, ME)
    assert (parsed.urgent, parsed.asked, parsed.text) == (urgent, asked, text)
    assert is_urgent(parsed.text) is (urgent and bool(text))


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
    planned = plan_announcement(mode, message_ts=message_ts, thread_ts=thread_ts, channel="C1")
    assert planned == expected


@pytest.mark.parametrize("channel", [None, "D0001"])
def test_without_a_channel_or_in_a_dm_only_the_people_involved_hear(channel: str | None) -> None:
    assert plan_announcement("channel", channel=channel) == Delivery("private")


def test_every_favours_string_has_the_same_placeholders_in_japanese() -> None:
    from bot.i18n.catalog import placeholders
    from bot.i18n.strings import asks

    assert asks.EN.keys() == asks.JA.keys()
    for key, english in asks.EN.items():
        assert placeholders(english) == placeholders(asks.JA[key]), key
