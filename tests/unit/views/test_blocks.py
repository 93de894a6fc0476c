"""The UI kit: names, counts and quotes as every view shows them."""

from __future__ import annotations

from bot.views.blocks import excerpt, people, quote, times


def test_people_lists_read_naturally_in_both_languages() -> None:
    assert people(["UA"]) == "<@UA>"
    assert people(["UA", "UB", "UC"]) == "<@UA>, <@UB> and <@UC>"
    assert people(["UA", "UB"], "ja") == "<@UA> さん、<@UB>"


def test_one_way_to_count() -> None:
    assert [times("en", n) for n in (1, 2, 3, 1234)] == ["once", "twice", "3 times", "1,234 times"]


def test_quotes_never_ping_and_cut_long_texts() -> None:
    assert quote("line one\n<!channel> two", 100) == ">line one\n><\u200b!channel> two"
    assert excerpt("a\n\nb " + "x" * 300, 20) == "a b " + "x" * 15 + "…"
