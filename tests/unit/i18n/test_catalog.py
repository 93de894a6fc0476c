"""Every message exists in English and Japanese and renders with every placeholder filled."""

from __future__ import annotations

import re

import pytest

from bot.i18n.catalog import CATALOGUE, LANGUAGES, language_for, placeholders, t
from bot.i18n.strings import nudges as nudge_strings

KEYS = sorted(CATALOGUE["en"])
LEFTOVER = re.compile(r"\{[a-z_]*\}")


def test_both_languages_have_the_same_keys() -> None:
    missing_ja = sorted(CATALOGUE["en"].keys() - CATALOGUE["ja"].keys())
    missing_en = sorted(CATALOGUE["ja"].keys() - CATALOGUE["en"].keys())
    assert missing_ja == [] and missing_en == []


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_renders_fully(lang: str, key: str) -> None:
    template = CATALOGUE[lang][key]
    assert placeholders(template) == placeholders(CATALOGUE["en"][key]), (
        f"{lang}:{key} uses different placeholders than English"
    )
    params = {name: f"<{name}>" for name in placeholders(template)}
    rendered = t(lang, key, **params)
    assert rendered.strip()
    assert not LEFTOVER.search(rendered), f"{lang}:{key} left a placeholder: {rendered}"
    assert all(value in rendered for value in params.values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_japanese_is_japanese(lang: str) -> None:
    """A Japanese entry copied from English (untranslated) is caught here."""
    if lang != "ja":
        return
    untranslated = [
        k for k in KEYS if not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", CATALOGUE["ja"][k])
    ]
    assert untranslated == []


def test_a_missing_placeholder_is_an_error_not_a_silent_blank() -> None:
    with pytest.raises(KeyError):
        t("ja", "top.item", rank=1, user="U1")


@pytest.mark.parametrize(
    ("locale", "default", "expected"),
    [("ja-JP", "en", "ja"), ("en-GB", "ja", "en"), ("fr-FR", "ja", "ja"), (None, "en", "en")],
)
def test_language_for_locale(locale: str | None, default: str, expected: str) -> None:
    assert language_for(locale, default) == expected


def test_every_nudge_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    assert nudge_strings.EN.keys() == nudge_strings.JA.keys()
    for key, english in nudge_strings.EN.items():
        assert placeholders(english) == placeholders(nudge_strings.JA[key]), key
    assert all(key in CATALOGUE["ja"] for key in nudge_strings.EN)
