"""What a person sees of their own help, as Block Kit: the network message, the leaderboard,
forgetting."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.domain.network import Breadth, Counterpart
from bot.views.insights import forget_confirmation, leaderboard, network_message
from tests.support.contracts import check_blocks

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_network_message_leaderboard_and_forget_are_valid_messages(lang: str) -> None:
    bob = Counterpart("UBOB", 1, 1, NOW, NOW)
    text, blocks = network_message([bob], [], lang, None, NOW)
    assert text
    check_blocks(blocks)
    check_blocks(leaderboard([Breadth("UBOB", 3, 5, NOW)], "week", lang)[1])
    check_blocks(forget_confirmation(lang)[1])


def test_leaderboard_says_only_positive_things_and_uses_singulars() -> None:
    _, blocks = leaderboard([Breadth("UBOB", 1, 1, NOW), Breadth("UCAROL", 4, 9, NOW)], "all", "en")
    body = json.dumps(blocks, ensure_ascii=False)
    assert "1. <@UBOB> helped 1 colleague, once in all" in body
    assert "2. <@UCAROL> helped 4 colleagues, 9 times in all" in body
