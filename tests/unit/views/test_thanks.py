"""Saying thanks on screen: the announcement and both "thank someone" forms with their parsers."""

from __future__ import annotations

import json

import pytest

from bot.views import ids
from bot.views.thanks import (
    about,
    modal_request,
    names_list,
    reaction_rollup,
    shortcut_modal,
    shortcut_submission,
    thanks_announcement,
    thanks_dm,
    thanks_modal,
)
from tests.support.contracts import check_view


def test_japanese_announcement_honours_every_helper() -> None:
    text, _ = thanks_announcement("UG", ("UA", "UB"), "レビュー", "ja")
    assert "<@UA> さん、<@UB> さんに" in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_both_forms_are_valid_views(lang: str) -> None:
    check_view(thanks_modal(lang))
    check_view(shortcut_modal(author="UBOB", link="https://x.slack.com/p1", metadata={}, lang=lang))


def state(**values: dict) -> dict:
    return {"state": {"values": {name: {name: value} for name, value in values.items()}}}


def test_the_home_form_reads_back_people_and_note_without_the_giver() -> None:
    view = state(
        **{
            ids.HELPERS_INPUT: {"selected_users": ["UBOB", "UALICE", "UBOB"]},
            ids.NOTE_INPUT: {"value": "  the   review  "},
        }
    )
    request = modal_request(view, "UALICE")
    assert request.receivers == ("UBOB",) and request.self_mentioned
    assert request.note == "the review"


def test_the_shortcut_form_reads_back_the_message_it_was_about() -> None:
    view = state(**{ids.HELPER_INPUT: {"selected_user": "UBOB"}, ids.NOTE_INPUT: {"value": None}})
    view["private_metadata"] = json.dumps({"channel": "C1", "ts": "1.2", "thread_ts": None})
    submitted = shortcut_submission(view)
    assert (submitted.helper, submitted.note, submitted.channel, submitted.ts) == (
        "UBOB",
        "",
        "C1",
        "1.2",
    )


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        ("thanks for the review", "the review"),
        ("Thank you so much for the help", "the help"),
        ("many thanks for X", "X"),
        ("thx, for it", "it"),
        ("for the pairing", "the pairing"),
        ("thanks!", "thanks!"),
        ("forklift training", "forklift training"),
        ("you're a star!", "you're a star!"),
    ],
)
def test_the_note_ends_the_sentence_without_saying_thanks_twice(note: str, shown: str) -> None:
    assert about(note) == shown


def test_the_announcement_reads_as_one_sentence_on_one_line() -> None:
    text, blocks = thanks_announcement("UG", ("UA",), "thanks for\nthe\n\nreview <@UC>", "en")
    assert text == ":raised_hands: <@UG> thanked <@UA>: the review @UC"
    assert blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    named, _ = thanks_announcement("UG", ("UA",), "with <@UC>", "en", names={"UC": "carol"})
    assert named.endswith(": with @carol")
    assert thanks_announcement("UG", ("UA",), "", "ja")[0] == (
        ":raised_hands: <@UG> さんが <@UA> さんに、助けていただいたお礼を伝えました"
    )


def test_the_thanks_dm_explains_giveback_only_when_asked_to() -> None:
    text, blocks = thanks_dm("UG", "the review", "en", intro=True)
    assert text == ":raised_hands: <@UG> thanked you: the review" and len(blocks) == 2
    assert "New to giveback?" in blocks[1]["elements"][0]["text"]
    assert len(thanks_dm("UG", "", "ja")[1]) == 1


def test_the_rolled_up_reply_names_people_without_pinging_them() -> None:
    assert names_list(["dave"], "en") == "dave"
    assert names_list(["dave", "erin", "bob"], "en") == "dave, erin and bob"
    assert (
        names_list([f"p{n}" for n in range(10)], "en")
        == "p0, p1, p2, p3, p4, p5, p6, p7 and 2 others"
    )
    assert names_list(["dave", None], "en") == "dave and a colleague"
    assert names_list(["dave", "erin"], "ja") == "dave さん、erin さん"
    assert names_list(["<b>"], "en") == "&lt;b&gt;"
    text, blocks = reaction_rollup("UC", ["dave", "erin"], "ja")
    assert text == ":raised_hands: dave さん、erin さんが <@UC> さんに感謝しています"
    assert blocks[0]["type"] == "context"
