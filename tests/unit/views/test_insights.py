"""What a person sees of their own help, as Block Kit: the network message, the leaderboard,
forgetting."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.domain.network import Breadth, Counterpart
from bot.domain.records import Ledger, PersonCount
from bot.views.insights import forget_confirmation, leaderboard, ledger_view, network_message
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


def test_giveback_says_what_you_did_not_what_you_owe() -> None:
    ledger = Ledger(
        "UME",
        given_recent=8,
        received_recent=0,
        given_total=12,
        received_total=3,
        top_helped=[PersonCount("UBOB", 2)],
        colleagues_helped=5,
        offers_recent=2,
        asks_recent=1,
    )
    _, blocks = ledger_view(ledger, 90, "en")
    check_blocks(blocks)
    body = json.dumps(blocks)
    assert "You helped 5 colleagues in the last 90 days (8 times)" in body
    assert "12 times since you started" in body
    assert "0 colleagues helped you in the last 90 days (0 times)" in body  # thanked long ago
    assert "you offered to help twice and asked for a hand once" in body
    assert "<@UBOB> (twice)" in body and "×" not in body


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_giveback_before_any_help_points_somewhere_kind(lang: str) -> None:
    _, blocks = ledger_view(Ledger("UME", received_recent=2, received_total=2), 90, lang)
    body = json.dumps(blocks, ensure_ascii=False)
    assert ("Not yet" in body) if lang == "en" else ("まだありません" in body)
    assert "/giveback asks" in body
