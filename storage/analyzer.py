"""The topic index's analyzer: the words of a note (or an ask) as search terms, in both languages.

Japanese runs go through SudachiPy (SplitMode.B, dictionary ``core``): a morphological analyser
that splits 本番環境のデプロイ into 本番 / 環境 / デプロイ and normalises spelling variants
(サーバ and サーバー, 打合せ and 打ち合わせ) to one form. Only content words are kept: nouns,
verbs, adjectives, minus the words every note of thanks shares (ありがとう, 手伝う, 助かる...).

Latin words are lower-cased, stripped of English stop words and stemmed with Snowball's English
stemmer (PyStemmer): review, reviews and reviewing are one term. Where Sudachi's dictionary
knows an English word as a loanword (review → レビュー, server → サーバー), that katakana form
is a term too, so an English note can answer a Japanese ask and the other way round.

``analyze`` returns ``{term: surface}``: each distinct term once (a note counts once per term),
with a readable form of it for "known for". The same function reads notes and asks.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer
from sudachipy import Dictionary, SplitMode

Terms = dict[str, str]  # term -> a readable form of it

MAX_TERMS = 40  # per text: a note is at most 300 characters, an ask 1000
WORD_CACHE = 65_536  # distinct Latin words remembered (stems and loanword forms)

# Slack markup that is not words: mentions, channels, links (their label is kept), emoji codes.
_MARKUP = re.compile(r"<[@#!][^>]*>|<(?:https?|mailto):[^>|]*\|([^>]*)>|<[^>]*>|:[a-z0-9_+\-]+:")
_URL = re.compile(r"https?://\S+")
# A Latin word (letters and digits, inner apostrophes), or a run of Japanese script.
_LATIN = r"[A-Za-z0-9](?:[A-Za-z0-9']*[A-Za-z0-9])?"
_JAPANESE = r"[\u3005-\u3007\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
_RUNS = re.compile(f"({_LATIN})|({_JAPANESE})")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")

# The Snowball project's English stop list, and the words every note of thanks shares.
ENGLISH_STOP = frozenset(
    """a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll
    i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor
    not of off on once only or other ought our ours ourselves out over own same shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them themselves
    then there there's these they they'd they'll they're they've this those through to too under
    until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's with won't would wouldn't you you'd you'll
    you're you've your yours yourself yourselves
    thanks thank thx ty help helped helping helps appreciate appreciated really much lot lots
    great today yesterday everything anything something someone anyone everyone always again
    also just please via yes ok okay get got need needs know knows anybody somebody""".split()
)
# Normalised forms of Japanese content words that say nothing about the topic.
JAPANESE_STOP = frozenset(
    """為る 居る 有る 成る 下さる 頂く 呉れる 貰う 遣る 致す 申す 御座る 出来る 行く 来る 言う 思う
    見る 置く 仕舞う 有り難う 感謝 御礼 礼 助かる 手伝う 助ける 支援 協力 事 物 方 時 今回 前回 本当
    色々 何時も 沢山 様 皆 皆さん 件 所 為 等 今日 昨日 明日 毎回 いつ 何 誰 此れ 其れ 分かる 知る
    有難い 良い 嬉しい 凄い 大変 丁寧 無事 御陰 其の 此の 方々 的 さん 君 達 お願い 願い 次 後 中""".split()
)
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
_SKIP_SUBPOS = frozenset({"数詞", "非自立可能", "助数詞"})

FIELDS = {"pos", "normalized_form", "dictionary_form"}  # what we read: loads faster
_local = threading.local()
_stemmer_lock = threading.Lock()


def _tokenizer() -> object:
    """One Sudachi tokenizer per thread (they are not thread-safe); the dictionary is shared."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _dictionary().tokenizer(SplitMode.B, fields=FIELDS)
        _local.tokenizer = tokenizer
    return tokenizer


@lru_cache(maxsize=1)
def _dictionary() -> Dictionary:
    # Loaded on first use: about 0.1 s and 80 MB of memory-mapped dictionary, shared by threads.
    return Dictionary(dict="core")


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=WORD_CACHE)
def latin_terms(word: str) -> tuple[tuple[str, str], ...]:
    """A lower-cased Latin word's terms: its stem, and its katakana loanword form if any."""
    if word in ENGLISH_STOP or word.isdigit() or len(word) < 2:
        return ()
    with _stemmer_lock:  # PyStemmer's stemmer object is not thread-safe either
        stem = _stemmer().stemWord(word.replace("'", ""))
    found = [(stem, word)]
    loanword = _loanword(word) or (_loanword(stem) if stem != word else None)  # reviewing
    if loanword:
        found.append((loanword, loanword))
    return tuple(found)


def _loanword(word: str) -> str | None:
    """The katakana form Sudachi's dictionary gives an English word (review → レビュー)."""
    morphemes = _tokenizer().tokenize(word)  # type: ignore[attr-defined]
    if len(morphemes) != 1:
        return None
    normal = str(morphemes[0].normalized_form())
    return normal if _KATAKANA.fullmatch(normal) else None


def _japanese_terms(run: str) -> list[tuple[str, str]]:
    found = []
    for morpheme in _tokenizer().tokenize(run):  # type: ignore[attr-defined]
        pos = morpheme.part_of_speech()
        if pos[0] not in _CONTENT_POS or pos[1] in _SKIP_SUBPOS:
            continue
        normal = str(morpheme.normalized_form())
        if normal in JAPANESE_STOP or _too_short(normal):
            continue
        found.append((normal, str(morpheme.dictionary_form())))
    return found


def _too_short(word: str) -> bool:
    """One kana says nothing on its own (a single kanji often does: 税, 鍵)."""
    return len(word) < 2 and not ("\u4e00" <= word <= "\u9fff")


def analyze(text: str) -> Terms:
    """The search terms of ``text``, each once, with a readable form; at most MAX_TERMS."""
    plain = _URL.sub(" ", _MARKUP.sub(lambda m: f" {m.group(1) or ''} ", text or ""))
    plain = unicodedata.normalize("NFKC", plain)
    terms: Terms = {}
    for match in _RUNS.finditer(plain):
        latin, japanese = match.groups()
        found = latin_terms(latin.lower()) if latin else tuple(_japanese_terms(japanese))
        for term, surface in found:
            if term not in terms or len(surface) < len(terms[term]):
                terms[term] = surface
            if len(terms) >= MAX_TERMS:
                return terms
    return terms


def warm() -> None:
    """Load the dictionary now (start-up), not during the first ask."""
    analyze("warm デプロイ")
