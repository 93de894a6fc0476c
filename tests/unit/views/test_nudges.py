"""Scheduled messages as Block Kit: give-back nudges, quoting asks, and the weekly digest."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.digest import build_digest
from bot.domain.favours import Ask
from bot.domain.records import Balance, PersonCount
from bot.views.blocks import excerpt
from bot.views.nudges import digest_message, giveback_nudge
from tests.support.asks import ask_id, named_ask
from tests.support.contracts import check_blocks

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
OWES = Balance(given=1, received=5, total=6)


def ask(name: str, asker: str, *, days: float = 0, offers: tuple[str, ...] = ()) -> Ask:
    return named_ask(name, asker, NOW, days=days, offers=offers)


def test_giveback_nudge_blocks_are_valid_and_carry_offer_buttons() -> None:
    asks = [ask("a1", "UBOB"), ask("a2", "UCAROL")]
    text, blocks = giveback_nudge(
        "U1",
        OWES,
        [PersonCount("UBOB", 2)],
        asks,
        window_days=90,
        cooldown_days=7,
        lang="en",
    )
    check_blocks(blocks)
    assert "<@UBOB>" in text
    buttons = [b["accessory"] for b in blocks if "accessory" in b]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("ask_offer", str(ask_id("a1"))),
        ("ask_offer", str(ask_id("a2"))),
    ]
    assert "helped you twice" in str(blocks)


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
