"""The give-first reply as Block Kit: asks to help with, one press each, and no score."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.domain.favours import HELD, Ask, GiveFirst
from bot.domain.records import Balance
from bot.views.asks import give_first_reply
from tests.support.asks import named_ask, words_shown
from tests.support.contracts import check_blocks

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
LEANING = Balance(giving=2, asking=9, events=40, started=True)
HELD_ASK = Ask(99, "T1", "UME", "can someone pair on the flaky test", "C1", HELD, NOW)


def buttons(blocks: list[dict]) -> list[tuple[str, str]]:
    found = [b["accessory"] for b in blocks if "accessory" in b]
    found += [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return [(e["action_id"], e["value"]) for e in found]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(("anyway", "last"), [(True, "ask_anyway"), (False, "ask_recheck")])
def test_the_give_first_reply_shows_asks_one_press_each_and_no_numbers(
    lang: str, anyway: bool, last: str
) -> None:
    others = [named_ask("slides", "UBOB", NOW), named_ask("move", "UCAROL", NOW, days=2)]
    decision = GiveFirst(LEANING, hold=True, allow_anyway=anyway, reason="asking more")
    text, blocks = give_first_reply(
        decision, HELD_ASK, suggestions=others, helped_me={"UBOB": 7}, lang=lang
    )
    check_blocks(blocks)
    assert buttons(blocks) == [
        ("ask_offer_and_post", f"{others[0].id}:99"),
        ("ask_offer_and_post", f"{others[1].id}:99"),
        (last, "99"),
    ]
    shown = words_shown(text, blocks, quoted=[a.text for a in [*others, HELD_ASK]])
    assert not re.search(r"\d", shown), shown  # Bob helped seven times: said, never counted
    assert ":sparkles:" in str(blocks[2]) and ":sparkles:" not in str(blocks[3])
