"""Notes read well in public: one sentence for any free text, on one line, cut at a word,
links shown as they really go, other people named rather than pinged, emoji kept whole."""

from __future__ import annotations

import pytest

from tests.conftest import BOB, CAROL, Bot
from tests.support.favours import settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def announced(bot: Bot, text: str) -> str:
    """``/thanks`` with ``text``; the announcement the channel sees."""
    status, _, url = await bot.thanks(text)
    assert status == 200
    await settle(bot)
    replies = [c for c in bot.fake.calls_to("response_url") if c.url and url.endswith(c.url)]
    [post] = [c for c in replies if c.args["response_type"] == "in_channel"]
    assert post.args["blocks"][0]["text"]["text"] == post.args["text"]
    return str(post.args["text"])


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("you're a star!", "thanked <@UBOB>: you're a star!"),
        ("thanks for the review", "thanked <@UBOB>: the review"),
        ("Thank you so much for the late-night deploy", "thanked <@UBOB>: the late-night deploy"),
        ("for the pairing", "thanked <@UBOB>: the pairing"),
    ],
)
async def test_any_note_makes_one_sentence(bot: Bot, typed: str, shown: str) -> None:
    assert (await announced(bot, f"<@{BOB}> {typed}")).endswith(shown)


async def test_a_note_on_many_lines_is_announced_on_one(bot: Bot) -> None:
    text = await announced(bot, f"<@{BOB}> for\nthe\n\n\nreview\n\nand   the tests")
    assert text.endswith(": the review and the tests") and "\n" not in text


async def test_a_long_note_is_cut_at_a_word_with_an_ellipsis(bot: Bot) -> None:
    words = " ".join(f"word{n:03d}" for n in range(60))  # 479 characters, kept to 300
    text = await announced(bot, f"<@{BOB}> for {words}")
    note = text.split(f"<@{BOB}>: ", 1)[1]
    assert note.endswith("…") and len(note) <= 280
    assert note.removesuffix("…").split()[-1] in words.split()  # a whole word, not half of one
    [event] = await bot.events()
    assert len(event.note) <= 300  # what is stored: capped as before


async def test_a_disguised_link_shows_where_it_really_goes(bot: Bot) -> None:
    text = await announced(
        bot, f"<@{BOB}> for the login fix <https://evil.example|https://slack.com/signin>"
    )
    assert "|https://slack.com/signin>" not in text
    assert text.endswith("the login fix https://slack.com/signin (<https://evil.example>)")
    honest = await announced(bot, f"<@{CAROL}> for <https://docs.example/a|https://docs.example/a>")
    assert honest.endswith(": <https://docs.example/a>")


async def test_only_the_people_thanked_are_pinged(bot: Bot) -> None:
    text = await announced(bot, f"<@{BOB}> for covering for <@{CAROL}|carol> and <!here>")
    assert f"<@{BOB}>" in text and f"<@{CAROL}" not in text
    assert text.endswith(": covering for @carol and @here")


async def test_emoji_sequences_survive_and_invisible_tricks_do_not(bot: Bot) -> None:
    text = await announced(bot, f"<@{BOB}> for pairing 👩\u200d💻 with me\u202e today")
    assert text.endswith(": pairing 👩\u200d💻 with me today")
    [event] = await bot.events()
    assert event.note == "pairing 👩\u200d💻 with me today"
