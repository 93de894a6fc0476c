"""The topic index's analyser: real morphology for Japanese, stems for English, loanwords
bridging the two, and none of the words every note of thanks shares."""

from __future__ import annotations

from storage.analyzer import MAX_TERMS, analyze


def test_english_words_are_stemmed_and_stop_words_dropped() -> None:
    terms = analyze("Thanks for reviewing the deploy keys!")
    assert {t: terms[t] for t in ("review", "deploy", "key")} == {
        "review": "reviewing",
        "deploy": "deploy",
        "key": "keys",
    }
    assert "thank" not in analyze("thanks, thank you so much") and "the" not in analyze("the")


def test_japanese_is_split_into_content_words_with_spelling_variants_merged() -> None:
    terms = analyze("本番環境のデプロイを手伝っていただきありがとうございました")
    assert set(terms) == {"本番", "環境", "デプロイ"}  # no particles, no thanks, no くださる
    assert set(analyze("打合せの議事録")) == set(analyze("打ち合わせの議事録"))
    assert set(analyze("サーバの設定")) == set(analyze("サーバーの設定"))


def test_an_english_loanword_also_indexes_its_katakana_form() -> None:
    assert "レビュー" in analyze("code review") and "レビュー" in analyze("コードレビュー")
    assert "レビュー" in analyze("for reviewing it")  # through the stem


def test_slack_markup_links_and_emoji_are_not_words() -> None:
    terms = analyze(
        "<@U123|bob> <#C1|general> :tada: <https://x.example/a|the runbook> https://y.example"
    )
    assert set(terms) == {"runbook"}


def test_a_text_gives_each_term_once_and_a_bounded_number() -> None:
    assert analyze("deploy deploy deploys") == {"deploy": "deploy"}
    assert len(analyze(" ".join(f"word{i}x" for i in range(200)))) == MAX_TERMS
    assert analyze("") == {} and analyze("🎉 !!!") == {}
