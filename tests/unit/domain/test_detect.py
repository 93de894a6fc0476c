"""Plain-words thanks in channels, English and Japanese: who is offered for logging."""

from __future__ import annotations

import pytest

from bot.domain.detect import detect_thanks

ME, BOB, CAROL, BOT = "UALICE", "UBOB", "UCAROL", "UBOT"
B, C = f"<@{BOB}>", f"<@{CAROL}>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English
        (f"thanks {B}", (BOB,)),
        (f"Thanks {B}!", (BOB,)),
        (f"thank you <@{BOB}|bob> for the review", (BOB,)),
        (f"{B} thanks, that fixed it", (BOB,)),
        (f"Thank you so much {B} and {C}!", (BOB, CAROL)),
        (f"thx {B}", (BOB,)),
        (f"ty {B}", (BOB,)),
        (f"kudos to {B} for the migration", (BOB,)),
        (f"Much appreciated {B}", (BOB,)),
        (f"shout-out to {B} for staying late", (BOB,)),
        (f"{B}\nthank you!", (BOB,)),
        (f"Deploy is green. Thanks {B}! {C} can you review the next one?", (BOB,)),
        # Japanese
        (f"ありがとう {B}", (BOB,)),
        (f"{B} さん、ありがとうございます！", (BOB,)),
        (f"{B} さん ありがとうございました。", (BOB,)),
        (f"助かりました {B}", (BOB,)),
        (f"{B} さんのおかげで間に合いました。", (BOB,)),
        (f"{B} さん、{C} さん、本当に感謝しています", (BOB, CAROL)),
        (f"{B} 有難うございます", (BOB,)),
        (f"レビューありがとうございます {B}。{C} さんは明日お願いします", (BOB,)),
        # not thanks for help received
        (f"{B} can you review my PR?", ()),
        (f"thanks in advance {B}", ()),
        (f"Thank you in advance, {B}", ()),
        (f"no thanks {B}", ()),
        (f"{B} 事前にありがとうございます", ()),
        (f"{B} よろしくお願いします、ありがとう", ()),
        (f"Happy Thanksgiving {B}", ()),
        ("thanks everyone!", ()),
        ("ありがとうございます", ()),
        # thanks to oneself or to the bot itself (an @giveback command) are never offered
        (f"thanks <@{ME}>", ()),
        (f"<@{BOT}> thanks {B}", ()),
        # the same person twice is offered once
        (f"thanks {B}! really, thank you {B}", (BOB,)),
        ("", ()),
    ],
)
def test_detect_thanks(text: str, expected: tuple[str, ...]) -> None:
    assert detect_thanks(text, author=ME, bot_user_id=BOT) == expected
