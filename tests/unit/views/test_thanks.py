"""Saying thanks on screen: the announcement and both "thank someone" forms with their parsers."""

from __future__ import annotations

import json

import pytest

from bot.views import ids
from bot.views.thanks import (
    modal_request,
    shortcut_modal,
    shortcut_submission,
    thanks_announcement,
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
