"""Block Kit builders of the core."""

from __future__ import annotations

from bot.views.blocks import people
from bot.views.thanks import thanks_announcement


def test_people_lists_read_naturally_in_both_languages() -> None:
    assert people(["UA"]) == "<@UA>"
    assert people(["UA", "UB", "UC"]) == "<@UA>, <@UB> and <@UC>"
    assert people(["UA", "UB"], "ja") == "<@UA> さん、<@UB>"


def test_japanese_announcement_honours_every_helper() -> None:
    text, _ = thanks_announcement("UG", ("UA", "UB"), "レビュー", "ja")
    assert "<@UA> さん、<@UB> さんへ" in text
