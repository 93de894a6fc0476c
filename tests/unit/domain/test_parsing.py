"""Pure parsing of what people type."""

from __future__ import annotations

import pytest

from bot.domain.parsing import (
    NOTE_MAX,
    clean_note,
    closest_name,
    is_help_request,
    parse_mention,
    parse_thanks,
    split_subcommand,
)

ME = "UME"


@pytest.mark.parametrize(
    ("text", "receivers", "note"),
    [
        ("<@UBOB> for the review", ("UBOB",), "the review"),
        ("<@UBOB|bob> <@UCAROL|carol> for the review", ("UBOB", "UCAROL"), "the review"),
        ("<@UBOB>, <@UCAROL> and <@UDAN>: pairing", ("UBOB", "UCAROL", "UDAN"), "pairing"),
        ("<@UBOB> <@UBOB> twice", ("UBOB",), "twice"),
        ("for the review <@UBOB>", ("UBOB",), "the review"),
        ("<@UBOB> helped me move <@UCAROL>'s desk", ("UBOB",), "helped me move <@UCAROL>'s desk"),
        ("<@UBOB>", ("UBOB",), ""),
        ("<@WENTERPRISE> for it", ("WENTERPRISE",), "it"),
        ("<@UBOB> レビューありがとうございます", ("UBOB",), "レビューありがとうございます"),
        ("", (), ""),
        ("   ", (), ""),
        ("<@> for nothing", (), "<@> for nothing"),
        ("<@ubob> lowercase is not an id", (), "<@ubob> lowercase is not an id"),
    ],
)
def test_parse_thanks(text: str, receivers: tuple[str, ...], note: str) -> None:
    parsed = parse_thanks(text, ME)
    assert parsed.receivers == receivers
    assert parsed.note == note


def test_self_is_dropped_and_flagged() -> None:
    parsed = parse_thanks(f"<@{ME}> <@UBOB> for teamwork", ME)
    assert parsed.receivers == ("UBOB",)
    assert parsed.self_mentioned


def test_plain_at_name_is_flagged_so_we_can_explain_mentions() -> None:
    assert parse_thanks("@bob for the review", ME).plain_at
    assert not parse_thanks("mail me at bob@example.com", ME).plain_at


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hi <!channel>", "hi @channel"),
        ("<!here|here> now", "@here now"),
        ("<!subteam^S123|@devs> ping", "@devs ping"),
        ("tab\tand\x00nul\u202eRTL", "tab and nul RTL"),
        ("  spaced   out  ", "spaced out"),
        ("pairing 👩\u200d💻 done", "pairing 👩\u200d💻 done"),  # the joiner stays
        (
            "flag 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            "flag 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        ),
        ("hidden\U000e0041\U000e0042 tags", "hidden tags"),  # tags outside a flag hide text
        ("zero\u200bwidth\ufeff", "zero width"),
    ],
)
def test_clean_note_defuses_pings_and_control_characters(raw: str, expected: str) -> None:
    assert clean_note(raw) == (expected, False)


def test_clean_note_caps_length() -> None:
    note, truncated = clean_note("x" * (NOTE_MAX + 50))
    assert truncated and len(note) == NOTE_MAX and note.endswith("…")


@pytest.mark.parametrize(
    ("text", "receivers", "note"),
    [
        ("<@UBOT> thanks <@UBOB> for pairing", ("UBOB",), "pairing"),
        ("<@UBOT|giveback> Thank you <@UBOB> <@UCAROL>!", ("UBOB", "UCAROL"), "!"),
        ("<@UBOT> thx, <@UBOB>", ("UBOB",), ""),
        ("<@UBOT> ありがとう <@UBOB> 助かりました", ("UBOB",), "助かりました"),
        ("<@UBOT> ありがとうございます、<@UBOB>", ("UBOB",), ""),
    ],
)
def test_parse_mention(text: str, receivers: tuple[str, ...], note: str) -> None:
    parsed = parse_mention(text, "UBOT", ME)
    assert parsed is not None
    assert (parsed.receivers, parsed.note) == (receivers, note)


@pytest.mark.parametrize("text", ["<@UBOT> hello", "<@UBOT> thanksgiving plans?", "<@UBOT>", ""])
def test_mentions_that_are_not_thanks(text: str) -> None:
    assert parse_mention(text, "UBOT", ME) is None


def test_split_subcommand() -> None:
    assert split_subcommand("") == ("", "")
    assert split_subcommand("  TOP   week ") == ("top", "week")
    assert split_subcommand("forget me") == ("forget", "me")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("hlep", "help"), ("HELP", "help"), ("ask", "asks"), ("netwrok", "network"), ("xyzzy", None)],
)
def test_a_typo_finds_the_closest_subcommand(typed: str, meant: str | None) -> None:
    names = ("help", "asks", "network", "top", "config", "nudges", "forget", "language")
    assert closest_name(typed, names) == meant


@pytest.mark.parametrize(
    ("text", "is_help"),
    [("<@UBOT> help", True), ("<@UBOT|giveback> Help!", True), ("<@UBOT> ヘルプ", True),
     ("<@UBOT> ?", True), ("<@UBOT> thanks <@UB>", False), ("<@UBOT> helpful tip", False)],
)  # fmt: skip
def test_a_mention_asking_for_help(text: str, is_help: bool) -> None:
    assert is_help_request(text, "UBOT") is is_help
