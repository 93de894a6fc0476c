"""Scheduled messages as Block Kit: invitations to lend a hand, welcomes, quoting asks, and the
weekly digest."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from bot.domain.digest import build_digest
from bot.domain.favours import Ask
from bot.domain.records import PersonCount
from bot.views.blocks import excerpt
from bot.views.nudges import digest_message, invitation, welcome
from tests.support.asks import ask_id, named_ask, words_shown
from tests.support.contracts import check_blocks

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def ask(name: str, asker: str, *, days: float = 0, offers: tuple[str, ...] = ()) -> Ask:
    return named_ask(name, asker, NOW, days=days, offers=offers)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_invitation_shows_asks_to_help_with_and_keeps_no_score(lang: str) -> None:
    asks = [ask("a1", "UBOB"), ask("a2", "UCAROL")]
    text, blocks = invitation("U1", asks, helped_me={"UBOB": 2}, lang=lang)
    check_blocks(blocks)
    buttons = [b["accessory"] for b in blocks if "accessory" in b]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("ask_offer", str(ask_id("a1"))),
        ("ask_offer", str(ask_id("a2"))),
    ]
    shown = words_shown(text, blocks, quoted=[a.text for a in asks])
    assert not re.search(r"\d", shown), shown  # no counts, no scores, no dates
    assert ":sparkles:" in json.dumps(blocks[2]) and ":sparkles:" not in json.dumps(blocks[3])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_welcome_explains_without_keeping_score(lang: str) -> None:
    text, blocks = welcome(lang)
    check_blocks(blocks)
    assert "/thanks" in json.dumps(blocks) and "/ask" in json.dumps(blocks)
    assert not re.search(r"\d", words_shown(text, blocks))


def test_asks_are_quoted_without_pinging_anyone() -> None:
    assert "<!channel>" not in excerpt("urgent <!channel> please\n\nnow", 200)
    assert excerpt("x" * 300, 200).endswith("…") and len(excerpt("x" * 300, 200)) == 200


def test_digest_shows_the_week_and_hides_people_who_asked_to_be_hidden() -> None:
    widest = [
        PersonCount("UA", 4),
        PersonCount("UB", 3),
        PersonCount("UC", 1),
        PersonCount("UD", 1),
    ]
    asks = [ask("w1", "UE", days=3), ask("w2", "UF", days=1, offers=("UA",))]
    digest = build_digest(12, widest, [("UA", "UC")], asks, hidden={"UB"})
    assert [p.user_id for p in digest.widest] == ["UA", "UC", "UD"]
    assert [a.id for a in digest.waiting] == [ask_id("w1")]  # w2 already has an offer
    text, blocks = digest_message(digest, "en")
    check_blocks(blocks)
    body = str(blocks)
    assert "*12* thanks given this week" in body
    assert "<@UA> helped 4 colleagues" in body and "<@UC> helped 1 colleague" in body
    assert "<@UB>" not in body
    assert "<@UA> ⇄ <@UC>" in body and "<@UE>: help with w1" in body
    offers = [
        b["accessory"] for b in blocks if b.get("accessory", {}).get("action_id") == "ask_offer"
    ]
    assert [o["value"] for o in offers] == [str(ask_id("w1"))]  # "I can help" on each waiting ask
    assert text == "This week in giveback: 12 thanks given."
    no_board = build_digest(12, widest, [], [], leaderboard=False)
    assert no_board.widest == []


def test_an_empty_week_still_reads_kindly() -> None:
    _, blocks = digest_message(build_digest(0, [], [], []), "ja")
    assert "今週は感謝の記録がありませんでした" in str(blocks)
