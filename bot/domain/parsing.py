"""Pure parsing of what people type: ``/thanks`` text, ``@giveback`` mentions, subcommands."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

NOTE_MAX = 300
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
# <!channel>, <!here>, <!everyone>, <!subteam^S123|@team>: never let a note ping a crowd.
BROADCAST = re.compile(r"<!([a-z]+)(?:\^[A-Z0-9]+)?(?:\|([^<>]*))?>")
PLAIN_AT = re.compile(r"(?<![<\w])@\w")
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


def clean_note(text: str, limit: int = NOTE_MAX) -> tuple[str, bool]:
    """Strip control characters and crowd pings; cap the length. Return (note, truncated)."""
    text = BROADCAST.sub(lambda m: "@" + (m.group(2) or m.group(1)).lstrip("@"), text)
    if not text.isprintable():  # most notes are: no character-by-character pass for them
        text = "".join(
            " " if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n" else ch
            for ch in text
        )
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
