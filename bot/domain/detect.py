"""Pure detection of thanks said in plain words in a channel ("thanks <@U…>", "助かりました <@U…>").

A match only produces an *offer* to the author; nothing is recorded without their click.
So the rules lean to precision: the thanks and the mention must share a sentence, and
thanks that are not for help received ("thanks in advance", "no thanks") never match.
"""

from __future__ import annotations

import re

from bot.domain.parsing import MENTION

_EN_THANKS = re.compile(
    r"\b(?:thanks|thank\s*(?:you|u)|thx|tysm|ty|kudos|cheers|much\s+appreciated"
    r"|appreciate\s+(?:it|you|that|your\s+help)|shout\s*-?\s*out|props)\b",
    re.IGNORECASE,
)
_JA_THANKS = re.compile(
    r"ありがと|有難う|有り難う|感謝|助かりま|助かった|助かる|お礼申し上げ|おかげさまで|おかげで|サンキュー"
)
_NOT_FOR_HELP_RECEIVED = re.compile(
    r"\b(?:no\s+thanks?|thanks?\s+(?:you\s+)?in\s+advance|thanks?\s+for\s+nothing"
    r"|thanks\s+but\s+no|thanks\s+anyway|tia)\b"
    r"|事前に|前もって|あらかじめ|予め|よろしくお願い",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？\n])")


def _sentences(text: str) -> list[str]:
    """Split into sentences; a piece that is only mentions ("<@U1>\\n") joins the next one."""
    pieces = [p for p in _SENTENCE_END.split(text) if p.strip()]
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        if not MENTION.sub("", piece).strip(" \n\t,、.!?。！？:"):
            carry += piece
            continue
        merged.append(carry + piece)
        carry = ""
    if carry:
        if merged:
            merged[-1] += carry
        else:
            merged.append(carry)
    return merged


def detect_thanks(text: str, *, author: str, bot_user_id: str | None = None) -> tuple[str, ...]:
    """The people the author thanks in ``text`` for help, in order of mention; () if none.

    The author and the bot are never offered (an ``@giveback thanks`` is handled as a command).
    """
    text = text or ""
    if bot_user_id and any(m == bot_user_id for m in MENTION.findall(text)):
        return ()
    found: list[str] = []
    for sentence in _sentences(text):
        plain = MENTION.sub(" ", sentence)
        if _NOT_FOR_HELP_RECEIVED.search(plain):
            continue
        if not (_EN_THANKS.search(plain) or _JA_THANKS.search(plain)):
            continue
        found += [u for u in MENTION.findall(sentence) if u not in (author, bot_user_id)]
    return tuple(dict.fromkeys(found))
