"""The UI kit: names, counts and quotes as every view shows them."""

from __future__ import annotations

from bot.views.blocks import excerpt, people, public_text, quote, shorten, times


def test_people_lists_read_naturally_in_both_languages() -> None:
    assert people(["UA"]) == "<@UA>"
    assert people(["UA", "UB", "UC"]) == "<@UA>, <@UB> and <@UC>"
    assert people(["UA", "UB"], "ja") == "<@UA> さん、<@UB>"


def test_one_way_to_count() -> None:
    assert [times("en", n) for n in (1, 2, 3, 1234)] == ["once", "twice", "3 times", "1,234 times"]


def test_quotes_never_ping_and_cut_long_texts() -> None:
    assert quote("line one\n<!channel> two", 100) == ">line one\n><\u200b!channel> two"
    assert excerpt("a\n\nb " + "x" * 300, 20) == "a b " + "x" * 15 + "…"


def test_long_texts_are_cut_at_a_word_and_never_inside_markup_or_an_emoji() -> None:
    assert shorten("the quick brown fox jumps", 12) == "the quick…"
    assert shorten("see <@UBOB|bob> now", 10) == "see…"  # not "see <@UBO…"
    assert shorten("x" * 30, 10) == "x" * 9 + "…"  # one long word: cut inside it
    assert shorten("ok 👩\u200d💻 yes", 6) == "ok…"  # not half of 👩‍💻
    assert shorten("ab👍🏽cd", 4) == "ab…"  # nor a thumb without its skin tone
    assert shorten("あいうえおかきくけこ、さしすせそ", 14) == "あいうえおかきくけこ、…"
    assert shorten("short", 10) == "short"


def test_a_disguised_link_shows_its_real_target() -> None:
    assert public_text("<https://evil.example|https://slack.com/signin>") == (
        "https://slack.com/signin (<https://evil.example>)"
    )
    assert public_text("<https://a.example/x|https://a.example/x>") == "<https://a.example/x>"
    assert public_text("<https://a.example/x|a.example/x>") == "<https://a.example/x>"
    assert public_text("<mailto:a@b.example|a@b.example>") == "<mailto:a@b.example>"
    assert public_text("<#C123|general>") == "<#C123|general>"  # a channel link: harmless


def test_only_the_people_meant_are_pinged() -> None:
    text = "<@UA> and <@UB|bob> and <@UC> and <!here>"
    assert public_text(text) == "<@UA> and <@UB|bob> and <@UC> and <\u200b!here>"
    named = public_text(text, pings={"UA"}, names={"UC": "Carol"})
    assert named == "<@UA> and @bob and @Carol and <\u200b!here>"
    assert public_text("<@UZ>", pings=()) == "@UZ"  # nobody told us the name: the id, unpinged


def test_quotes_keep_a_few_lines() -> None:
    assert quote("a\n\n\nb\nc\nd\ne\nf", 100) == ">a\n>b\n>c\n>d e f"
    assert quote("one\ntwo", 100, lines=1) == ">one two"
