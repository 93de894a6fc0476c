"""The catalogue's words: gratitude is never a debt, and the Japanese reads as workplace Japanese.

docs/GLOSSARY.md lists the terms these checks keep; a message that brings a debt word back, or
slips into くれる, fails here.
"""

from __future__ import annotations

import re

import pytest
import yaml

from bot.i18n.catalog import CATALOGUE
from tests.support.paths import ROOT

# Words that keep accounts between people. Keys (``ledger.*``) are not user-facing; values are.
DEBT = re.compile(
    r"\b(?:owes?|owed|owing|repa(?:y|id|ying|yment)|debts?|ledgers?|in deficit"
    r"|thank(?:ing)? back|help(?:ed|ing)? back|pay(?:ing)? back|return the favou?r)\b"
    r"|お返し|貸し借り|恩返し",
    re.IGNORECASE,
)
ENTRIES = [(lang, key) for lang in ("en", "ja") for key in sorted(CATALOGUE[lang])]
# Japanese: くださる, never くれる; お願い for an ask, never 依頼.
CASUAL = re.compile(r"くれ(?:る|た|ます|ません|て|そう|れば)|依頼")
# A count in words ("3 回", "2 人", bot.views.blocks.times) is never followed by a space before
# the next word: "3 回助けて", not "3 回 助けて". A bare number keeps its space before a unit.
IN_WORDS = r"\{(?:times|given|received|recent|total|colleagues)\}|[回人]"
STRAY_SPACE = re.compile(
    rf"(?:{IN_WORDS}) [\u3040-\u30ff\u4e00-\u9fff]|\{{count\}} [\u3040-\u309f]"
)
# A name in Japanese is followed by さん (lists too: bot.views.blocks.people puts it between
# names, the template after the last). Bots, and mentions inside a command to type, aside.
NAME = re.compile(r"<@\{\w+\}>|\{(?:people|helpers)\}")
NOT_A_PERSON = {"asks.bots", "thanks.bots"}


@pytest.mark.parametrize(("lang", "key"), ENTRIES)
def test_no_message_keeps_score(lang: str, key: str) -> None:
    found = DEBT.search(CATALOGUE[lang][key])
    assert found is None, f"{lang}:{key} says {found.group(0)!r}: see docs/GLOSSARY.md"


def test_the_check_catches_what_it_should() -> None:
    for text in ("your ledger", "who you owe", "repay them", "お返しをしましょう", "Thank back"):
        assert DEBT.search(text), text
    for text in ("giveback", "give it a go", "lend a hand", "owner", "knowledge", "力を借りる"):
        assert not DEBT.search(text), text


@pytest.mark.parametrize("name", ["manifest.yml", "manifest.oauth.yml"])
def test_the_manifests_keep_no_score_either(name: str) -> None:
    manifest = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    shown = [manifest["display_information"]["description"]]
    shown.append(manifest["display_information"].get("long_description", ""))
    for command in manifest["features"]["slash_commands"]:
        shown += [command["description"], command.get("usage_hint", "")]
    for text in shown:
        assert DEBT.search(text) is None, text
    ask = next(c for c in manifest["features"]["slash_commands"] if c["command"] == "/ask")
    assert "took" not in ask["description"]  # seen by everyone in autocomplete


@pytest.mark.parametrize("key", sorted(CATALOGUE["ja"]))
def test_japanese_is_polite_and_spaced_right(key: str) -> None:
    text = CATALOGUE["ja"][key]
    assert not CASUAL.search(text), f"ja:{key}: {text}"
    assert not STRAY_SPACE.search(text), f"ja:{key}: {text}"
    if key not in NOT_A_PERSON:
        for name in NAME.finditer(text):
            after = text[name.end() : name.end() + 3]
            assert after.startswith(" さん") or after[:1] in ("`", "\n", ""), f"ja:{key}: {text}"


def test_one_word_for_each_thing_in_japanese() -> None:
    ja = CATALOGUE["ja"]
    assert ja["asks.offer_button"] == "手伝います"
    assert ja["asks.resolve_button"] == ja["asks.resolve_submit"] == "解決済みにする"
    assert ja["home.nudges_on"].startswith("お知らせ")


@pytest.mark.parametrize("key", sorted(CATALOGUE["en"]))
def test_english_counts_in_words_and_leaves_optional_to_slack(key: str) -> None:
    text = CATALOGUE["en"][key]
    assert "×" not in text, f"en:{key}: counts read 'once', 'twice', '3 times'"
    assert "(optional)" not in text, f"en:{key}: Slack marks optional inputs itself"
    assert "grace" not in text.lower(), f"en:{key}"
