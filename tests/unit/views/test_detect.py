"""The offer to log thanks said in plain words, and what its button carries."""

from __future__ import annotations

import pytest

from bot.views.detect import Offer, detection_offer
from tests.support.contracts import check_blocks

ME = "UALICE"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_offer_is_a_valid_message_with_long_names(lang: str) -> None:
    offer = Offer(ME, ("UBOB", "UCAROL"), "C1", "1.2", "thanks for it")
    _, blocks = detection_offer(offer, ["bob", "carol" * 30], lang)
    check_blocks(blocks)


def test_offer_value_round_trips() -> None:
    offer = Offer(ME, ("UBOB",), "C1", "17.01", "ありがとう")
    assert Offer.from_value(offer.to_value()) == offer
    assert Offer.from_value("not json") is None
