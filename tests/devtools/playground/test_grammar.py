"""The playground's input grammar, the seeded workspace's escaping, and its clock (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.devtools.playground import grammar as g
from bot.devtools.playground.clock import FakeClock, due_times, parse_duration
from bot.devtools.playground.world import escape, unescape


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/thanks @bob for the review", g.Slash("/thanks", "@bob for the review")),
        ("/ask", g.Slash("/ask", "")),
        ("/GiveBack help", g.Slash("/giveback", "help")),
        ("@giveback thanks @carol", g.Say("@giveback thanks @carol")),
        ("say the build is green", g.Say("the build is green")),
        (":raised_hands: on 3", g.React("raised_hands", 3)),
        ("react :tada: on #12", g.React("tada", 12)),
        (":+1: on last", g.React("+1", g.LAST)),
        ("press 2", g.Press(2)),
        ("press 1 on 4", g.Press(1, 4)),
        ("press [3]", g.Press(3)),
        ("press Ask anyway", g.Press("ask anyway")),
        ("press I can help on last", g.Press("i can help", g.LAST)),
        ("shortcut thank_author on 3", g.Shortcut("thank_author", 3)),
        ("shortcut new_ask", g.Shortcut("new_ask")),
        ("fill 1 Rotate the deploy keys", g.Fill(1, "Rotate the deploy keys")),
        ("submit", g.Submit()),
        ("close", g.Close()),
        ("cancel", g.Close()),
        ("as bob", g.Become("bob")),
        ("as @Carol", g.Become("Carol")),
        ("home", g.Home()),
        ("HOME", g.Home()),
        ("time +7d", g.Time(timedelta(days=7))),
        ("time +1d12h", g.Time(timedelta(days=1, hours=12))),
        ("time", g.Time(None)),
        ("help", g.Help()),
        ("?", g.Help()),
        ("quit", g.Quit()),
        ("exit", g.Quit()),
        ("# narration", g.Comment("narration")),
        ("   ", g.Comment("")),
    ],
)
def test_each_command_parses(line: str, expected: g.Command) -> None:
    assert g.parse_command(line) == expected


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("press", "press which button"),
        ("press 0", "numbered from 1"),
        ("fill 0 x", "numbered from 1"),
        ("fill 2", "fill which field"),
        (":tada:", "react to which message"),
        (":tada: on", "react to which message"),
        ("time +", "not a time step"),
        ("time -3d", "not a time step"),
        ("time soon", "not a time step"),
        ("as", "as whom"),
        ("as bob and carol", "as whom"),
        ("say", "say what"),
        ("/", "not a slash command"),
        ("/ thanks", "not a slash command"),
        ("thanks @bob", "did you mean `/thanks @bob`"),
        ("shortcut", "which shortcut"),
        ("frobnicate", "I don't understand"),
    ],
)
def test_malformed_input_is_invalid_with_a_hint(line: str, hint: str) -> None:
    parsed = g.parse_command(line)
    assert isinstance(parsed, g.Invalid)
    assert hint in parsed.reason


def test_a_leading_question_mark_marks_a_line_optional() -> None:
    assert g.parse("? /ask anyone?") == (g.Slash("/ask", "anyone?"), True)
    assert g.parse("/ask anyone?") == (g.Slash("/ask", "anyone?"), False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7d", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        ("+3h", timedelta(hours=3)),
        ("+90m", timedelta(minutes=90)),
        ("+1d 2h", timedelta(days=1, hours=2)),
        ("+0d", None),
        ("+7x", None),
        ("7", None),
        ("", None),
        ("+99999d", None),
    ],
)
def test_durations(raw: str, expected: timedelta | None) -> None:
    assert parse_duration(raw) == expected


def test_scheduled_runs_fall_on_the_boundaries_passed() -> None:
    start = datetime(2026, 11, 23, 10, 7, tzinfo=UTC)
    quarter = timedelta(minutes=15)
    assert due_times(start, start + timedelta(minutes=40), quarter) == [
        datetime(2026, 11, 23, 10, 15, tzinfo=UTC),
        datetime(2026, 11, 23, 10, 30, tzinfo=UTC),
        datetime(2026, 11, 23, 10, 45, tzinfo=UTC),
    ]
    on_the_dot = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert due_times(on_the_dot, on_the_dot + quarter, quarter) == [on_the_dot + quarter]
    assert due_times(start, start + timedelta(minutes=5), quarter) == []
    assert len(due_times(start, start + timedelta(days=7), quarter)) == 7 * 24 * 4


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock()
    before = clock()
    clock.advance(timedelta(days=1))
    assert clock() - before == timedelta(days=1)
    assert clock.epoch() == clock().timestamp()


@pytest.mark.parametrize(
    ("typed", "labelled", "sent"),
    [
        ("@bob for the review", True, "<@UBOB|bob> for the review"),
        ("@bob, @Carol.", True, "<@UBOB|bob>, <@UCAROL|carol>."),
        ("@giveback thanks @bob", False, "<@UBOT> thanks <@UBOB>"),
        ("@zed is not here", True, "@zed is not here"),
        ("mail bob@example.com", True, "mail bob@example.com"),
        ("see #general", True, "see <#C0001|general>"),
    ],
)
def test_typed_mentions_are_escaped_as_slack_does(typed: str, labelled: bool, sent: str) -> None:
    assert escape(typed, labelled=labelled) == sent


@pytest.mark.parametrize(
    ("slack", "shown"),
    [
        ("<@UBOB> thanks <@UCAROL|carol>", "@bob thanks @carol"),
        ("<@UNKNOWN|someone>", "@someone"),
        ("<#C0001> and <#C0001|general>", "#general and #general"),
        ("<!here> <!subteam^S1|@devs>", "@here @devs"),
        ("<https://x.test|the docs> &amp; more", "the docs (https://x.test) & more"),
    ],
)
def test_slack_syntax_is_shown_readably(slack: str, shown: str) -> None:
    assert unescape(slack) == shown
