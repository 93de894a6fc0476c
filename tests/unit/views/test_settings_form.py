"""The config modal, pure: every setting shown and prefilled, parsed back, validated per field."""

from __future__ import annotations

import dataclasses

import pytest

from bot.domain.settings import WorkspaceSettings
from bot.i18n.catalog import LANGUAGES
from bot.views.settings_form import NUMBERS, settings_view
from bot.views.settings_parse import parse_emoji, parse_settings
from tests.support.config import chosen, modal_state, settings_state, typed
from tests.support.contracts import check_view

DEFAULT = WorkspaceSettings()
EVERYTHING_CHANGED = WorkspaceSettings(
    threshold=100,
    window_days=7,
    policy="strict",
    newcomer_events=0,
    daily_pair_cap=20,
    busy_asks=1,
    announce="thread",
    reaction_emoji=("clap", "+1", "thank-you", "了解"),
    nudge_weekdays=(1, 4),
    nudge_start_hour=0,
    nudge_end_hour=24,
    cooldown_days=90,
    digest_channel="CDIGEST",
    language="en",
    leaderboard=False,
)
NOTHING = WorkspaceSettings(reaction_emoji=(), digest_channel=None, language=None)


@pytest.mark.parametrize("settings", [DEFAULT, EVERYTHING_CHANGED, NOTHING])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_setting_is_shown_prefilled_and_saved_back_unchanged(
    settings: WorkspaceSettings, lang: str
) -> None:
    view = settings_view(settings, lang)
    check_view(view)
    shown = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    assert shown == {f.name for f in dataclasses.fields(WorkspaceSettings)}
    assert parse_settings(modal_state(view), DEFAULT, lang) == (settings, {})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_in_the_modal_is_cut_short(lang: str) -> None:
    """Options and their descriptions may hold 75 characters: the catalogue fits them."""
    view = settings_view(EVERYTHING_CHANGED, lang)
    texts = [
        text
        for block in view["blocks"]
        if block["type"] == "input"
        for option in block["element"].get("options", [])
        for text in (option["text"]["text"], option.get("description", {}).get("text", ""))
    ]
    assert texts and all(len(text) < 75 for text in texts), max(texts, key=len)
    headers = [b for b in view["blocks"] if b["type"] == "header"]
    assert len(headers) == 4 and len(view["blocks"]) <= 100


def test_a_value_stored_out_of_range_opens_clamped_into_it() -> None:
    view = settings_view(dataclasses.replace(DEFAULT, daily_pair_cap=50, busy_asks=0), "en")
    values = modal_state(view)
    assert values["daily_pair_cap"]["value"]["value"] == "20"
    assert values["busy_asks"]["value"]["value"] == "1"


@pytest.mark.parametrize(
    ("typed_text", "names"),
    [
        ("raised_hands pray", ("raised_hands", "pray")),
        (":raised_hands::pray:", ("raised_hands", "pray")),
        (":thumbsup::skin-tone-2:, :+1:", ("thumbsup", "+1")),
        ("Tada  TADA tada", ("tada",)),
        ("clap\nthank-you、 :e-mail:", ("clap", "thank-you", "e-mail")),
        ("了解 ok_hand", ("了解", "ok_hand")),
        ("it's", ("it's",)),
        ("", ()),
        ("   ", ()),
        (None, ()),
        ("a b c d e", ("a", "b", "c", "d", "e")),
    ],
)
def test_emoji_names_are_read_leniently(typed_text: str | None, names: tuple[str, ...]) -> None:
    assert parse_emoji(typed_text, "en") == (names, None)


@pytest.mark.parametrize(
    ("typed_text", "error"),
    [
        ("<script>", "“<script>” doesn't look like an emoji name"),
        ("pray smile!", "“smile!” doesn't look like an emoji name"),
        ("a/b", "“a/b” doesn't look like an emoji name"),
        ("x" * 101, "“" + "x" * 29 + "…” doesn't look"),
        ("a b c d e f", "Choose at most 5 emoji."),
    ],
)
def test_bad_emoji_names_are_refused_with_the_reason(typed_text: str, error: str) -> None:
    names, message = parse_emoji(typed_text, "en")
    assert names == () and message is not None and message.startswith(error)


def test_emoji_errors_speak_japanese() -> None:
    assert parse_emoji("a/b", "ja")[1] == (
        "「a/b」は絵文字の名前ではないようです。"
        "raised_hands のように入力してください（コロンはあってもなくても構いません）。"
    )
    assert parse_emoji("a b c d e f", "ja")[1] == "絵文字は 5 個までにしてください。"


@pytest.mark.parametrize(
    ("block_id", "state", "message"),
    [
        ("daily_pair_cap", typed("0"), "Enter a whole number from 1 to 20."),
        ("daily_pair_cap", typed("21"), "Enter a whole number from 1 to 20."),
        ("daily_pair_cap", typed("2.5"), "Enter a whole number from 1 to 20."),
        ("busy_asks", typed(None), "Enter a whole number from 1 to 20."),
        ("newcomer_events", typed("-1"), "Enter a whole number from 0 to 50."),
        ("newcomer_events", typed("51"), "Enter a whole number from 0 to 50."),
        ("reaction_emoji", typed("no way!", "plain_text_input"), "“way!” doesn't look"),
    ],
)
def test_each_bad_value_is_reported_on_its_own_field(
    block_id: str, state: dict, message: str
) -> None:
    values = {**settings_state(DEFAULT), block_id: state}
    saved, errors = parse_settings(values, DEFAULT, "en")
    assert saved is None and list(errors) == [block_id]
    assert errors[block_id].startswith(message)


@pytest.mark.parametrize(("block_id", "bounds"), sorted(NUMBERS.items()))
def test_the_bounds_themselves_are_accepted(block_id: str, bounds: tuple[int, int]) -> None:
    for bound in bounds:
        values = {**settings_state(DEFAULT), block_id: typed(str(bound))}
        saved, errors = parse_settings(values, DEFAULT, "en")
        assert errors == {} and saved is not None and getattr(saved, block_id) == bound


def test_all_errors_are_reported_at_once() -> None:
    values = settings_state(DEFAULT)
    values.update(
        daily_pair_cap=typed("0"),
        reaction_emoji=typed("$$$", "plain_text_input"),
        nudge_end_hour=chosen("3"),
    )
    _, errors = parse_settings(values, DEFAULT, "ja")
    assert set(errors) == {"daily_pair_cap", "reaction_emoji", "nudge_end_hour"}
    assert errors["daily_pair_cap"] == "1 から 20 までの整数を入力してください。"


def test_blocks_missing_from_the_submission_keep_their_current_values() -> None:
    """A modal opened before an upgrade added fields saves without resetting them."""
    values = settings_state(DEFAULT)
    for block_id in ("leaderboard", "announce", "reaction_emoji", "daily_pair_cap", "language"):
        del values[block_id]
    values["threshold"] = typed("8")
    saved, errors = parse_settings(values, EVERYTHING_CHANGED, "en")
    assert errors == {}
    # Shown: DEFAULT's values, threshold changed. Not shown: EVERYTHING_CHANGED's, kept.
    assert saved == dataclasses.replace(
        DEFAULT,
        threshold=8,
        leaderboard=False,
        announce="thread",
        reaction_emoji=("clap", "+1", "thank-you", "了解"),
        daily_pair_cap=20,
        language="en",
    )


@pytest.mark.parametrize(
    ("block_id", "value"), [("announce", "everywhere"), ("leaderboard", "maybe")]
)
def test_an_unknown_choice_keeps_the_current_value(block_id: str, value: str) -> None:
    values = {**settings_state(EVERYTHING_CHANGED), block_id: chosen(value)}
    assert parse_settings(values, EVERYTHING_CHANGED, "en") == (EVERYTHING_CHANGED, {})


SETTINGS = WorkspaceSettings()


def form(**overrides: object) -> dict:
    values: dict = {
        "threshold": {"value": {"type": "number_input", "value": "4"}},
        "window_days": {"value": {"type": "number_input", "value": "60"}},
        "cooldown_days": {"value": {"type": "number_input", "value": "14"}},
        "policy": {"value": {"selected_option": {"value": "strict"}}},
        "nudge_weekdays": {"value": {"selected_options": [{"value": "0"}, {"value": "3"}]}},
        "nudge_start_hour": {"value": {"selected_option": {"value": "9"}}},
        "nudge_end_hour": {"value": {"selected_option": {"value": "11"}}},
        "digest_channel": {"value": {"selected_conversation": "CDIGEST"}},
        "language": {"value": {"selected_option": {"value": "ja"}}},
    }
    for block_id, value in overrides.items():
        values[block_id] = {"value": value}
    return values


def test_the_settings_form_round_trips() -> None:
    view = settings_view(SETTINGS, "en")
    check_view(view)
    saved, errors = parse_settings(form(), SETTINGS, "en")
    assert errors == {}
    assert saved == dataclasses.replace(
        SETTINGS,
        threshold=4,
        window_days=60,
        cooldown_days=14,
        policy="strict",
        nudge_weekdays=(0, 3),
        nudge_start_hour=9,
        nudge_end_hour=11,
        digest_channel="CDIGEST",
        language="ja",
    )
    assert saved is not None
    check_view(settings_view(saved, "ja"))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"threshold": {"value": "0"}}, "threshold"),
        ({"window_days": {"value": "abc"}}, "window_days"),
        ({"cooldown_days": {"value": None}}, "cooldown_days"),
        ({"nudge_weekdays": {"selected_options": []}}, "nudge_weekdays"),
        ({"nudge_end_hour": {"selected_option": {"value": "9"}}}, "nudge_end_hour"),
    ],
)
def test_bad_settings_are_reported_on_their_field(overrides: dict, field: str) -> None:
    saved, errors = parse_settings(form(**overrides), SETTINGS, "en")
    assert saved is None and list(errors) == [field]


def test_an_empty_digest_channel_and_default_language_clear_them() -> None:
    current = dataclasses.replace(SETTINGS, digest_channel="COLD", language="en")
    saved, _ = parse_settings(
        form(digest_channel={}, language={"selected_option": {"value": "default"}}), current, "en"
    )
    assert saved is not None and saved.digest_channel is None and saved.language is None
