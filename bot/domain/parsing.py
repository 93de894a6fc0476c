"""Pure parsing of what people type: ``/thanks`` text, ``@giveback`` mentions, subcommands."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

NOTE_MAX = 300
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
# <!channel>, <!here>, <!everyone>, <!subteam^S123|@team>: never let a note ping a crowd.
BROADCAST = re.compile(r"<!([a-z]+)(?:\^[A-Z0-9]+)?(?:\|([^<>]*))?>")
PLAIN_AT = re.compile(r"(?<![<\w])@\w")
# Invisible format characters (category Cf) that emoji and scripts need: the zero-width joiner
# and non-joiner (👩‍💻, Persian, Indic scripts), and the tag characters of subdivision flags
# (🏴󠁧󠁢󠁳󠁣󠁴󠁿), kept only right after the black flag they spell out: on their own they hide
# text that people cannot see. Every other Cf character goes: bidirectional overrides that
# reorder what a reader sees, zero-width spaces that hide words from search, byte-order marks.
JOINERS = frozenset({"\u200c", "\u200d"})
TAGS = range(0xE0020, 0xE0080)
FLAG = "\U0001f3f4"
HELP_WORDS = ("help", "ヘルプ", "使い方", "?", "？")
THANKS_WORDS = (
    "thanks",
    "thank you",
    "thankyou",
    "thx",
    "ty",
    "kudos",
    "ありがとうございます",
    "ありがとう",
    "感謝",
)


@dataclass(frozen=True)
class ThanksRequest:
    """Who helped the invoker, and for what. ``problems`` lists what was left out, and why."""

    receivers: tuple[str, ...]
    note: str
    note_truncated: bool = False
    self_mentioned: bool = False
    plain_at: bool = False

    @property
    def empty(self) -> bool:
        return not self.receivers


def _without_harmful(text: str) -> str:
    """Control characters other than a newline, and format characters no script or emoji
    needs, each replaced by a space."""
    kept: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc":
            harmful = ch != "\n"
        elif category == "Cf" and ch not in JOINERS:
            flag = bool(kept) and (kept[-1] == FLAG or ord(kept[-1]) in TAGS)
            harmful = not (ord(ch) in TAGS and flag)
        else:
            harmful = False
        kept.append(" " if harmful else ch)
    return "".join(kept)


def clean_note(text: str, limit: int = NOTE_MAX) -> tuple[str, bool]:
    """Strip harmful control and format characters and crowd pings; cap the length.
    Return (note, truncated). Emoji sequences (👩‍💻, flags) survive whole."""
    text = BROADCAST.sub(lambda m: "@" + (m.group(2) or m.group(1)).lstrip("@"), text)
    if not text.isprintable():  # most notes are: no character-by-character pass for them
        text = _without_harmful(text)
    text = re.sub(r"[ \t]+", " ", text).strip()
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


def parse_thanks(text: str, invoker: str) -> ThanksRequest:
    """Parse ``@a [@b ...] [for] <note>`` as typed after ``/thanks``.

    Leading mentions are the helpers; the rest is the note. If nobody is mentioned at
    the start but someone is later ("for the review @bob"), those mentions are the helpers.
    """
    text = text or ""
    leading: list[str] = []
    rest = text.strip()
    while True:
        match = MENTION.match(rest)
        if match is None:
            stripped = rest.lstrip(" ,、&")
            if stripped.lower().startswith("and ") and MENTION.match(stripped[4:].lstrip()):
                rest = stripped[4:].lstrip()
                continue
            if stripped != rest and MENTION.match(stripped):
                rest = stripped
                continue
            break
        leading.append(match.group(1))
        rest = rest[match.end() :].lstrip()
    mentioned = leading or MENTION.findall(rest)
    if not leading:
        rest = MENTION.sub("", rest)
    rest = re.sub(r"^(for|:|-|—)\s*", "", rest.strip(), flags=re.IGNORECASE)
    note, truncated = clean_note(rest)
    unique = tuple(dict.fromkeys(u for u in mentioned if u != invoker))
    return ThanksRequest(
        receivers=unique,
        note=note,
        note_truncated=truncated,
        self_mentioned=invoker in mentioned,
        plain_at=not mentioned and bool(PLAIN_AT.search(text)),
    )


def parse_mention(text: str, bot_user_id: str | None, invoker: str) -> ThanksRequest | None:
    """Parse ``@giveback thanks @a for ...``; None when it is not a thanks (show help)."""
    rest = (text or "").strip()
    if bot_user_id:
        rest = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^<>]*)?>", "", rest, count=1).strip()
    lowered = rest.lower()
    for word in sorted(THANKS_WORDS, key=len, reverse=True):
        if lowered.startswith(word) and (
            len(rest) == len(word) or not rest[len(word)].isalnum() or not word.isascii()
        ):
            return parse_thanks(rest[len(word) :].lstrip(" ,!:、。"), invoker)
    return None


def split_subcommand(text: str) -> tuple[str, str]:
    """``"top week"`` -> ``("top", "week")``; empty text -> ``("", "")``."""
    parts = (text or "").strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


def mention_command(text: str, bot_user_id: str | None) -> str:
    """The first word after ``@giveback`` in a mention, lower-cased (``help``, ``thanks``...)."""
    rest = (text or "").strip()
    if bot_user_id:
        rest = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^<>]*)?>", "", rest, count=1)
    words = rest.strip().split(maxsplit=1)
    return words[0].lower().rstrip("!.。") if words else ""


def is_help_request(text: str, bot_user_id: str | None) -> bool:
    """``@giveback help`` (or ヘルプ, or a bare question mark)."""
    return mention_command(text, bot_user_id) in HELP_WORDS


def closest_name(word: str, names: Iterable[str]) -> str | None:
    """The subcommand a typo most likely meant (``hlep`` -> ``help``), or None if none is close.

    difflib's ratio is what the standard library offers for this, and it is enough for a
    dozen short names; 0.6 is its own default cut-off for "close".
    """
    found = difflib.get_close_matches(word.lower(), [n for n in names if n], n=1, cutoff=0.6)
    return found[0] if found else None
