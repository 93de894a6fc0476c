"""The UI kit: the Block Kit pieces every view is built from (pure).

One ``button()``, one ``times()``, one way to quote a text someone wrote: views compose these
and never build the same element by hand, so a Slack limit (75 characters on a button's
label, 3,000 on a section) is enforced in one place.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from bot.i18n.catalog import t
from bot.i18n.localize import format_number

Blocks = list[dict[str, Any]]
SECTION_MAX = 3000
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
ZERO_WIDTH_SPACE = "\u200b"
QUOTE_LINES = 4  # a quoted note or ask: a few lines, never a wall
WORD_BREAKS = (" ", "、", "。", "，")
WORD_CUT_SHARE = 0.6  # cut at the last word break if it keeps at least this share of the text
ZWJ = "\u200d"
# What continues an emoji sequence: the joiner, variation selectors, the keycap, skin tones and
# the tag characters of subdivision flags. A cut never lands before one of them.
CONTINUES = frozenset(
    [ZWJ, "\ufe0e", "\ufe0f", "\u20e3"]
    + [chr(c) for c in range(0x1F3FB, 0x1F400)]
    + [chr(c) for c in range(0xE0020, 0xE0080)]
)
# <https://evil.example|https://slack.com/signin>: a link whose label can say anything.
MENTION_LABEL = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>")
DISGUISED_LINK = re.compile(r"<(?P<target>(?:https?|mailto|ftp):[^<>|\s]*)\|(?P<label>[^<>]*)>")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def people(user_ids: Sequence[str], lang: str = "en") -> str:
    """``<@a>``, ``<@a> and <@b>``, ``<@a>, <@b> and <@c>``.

    Japanese templates put さん after the list; every name but the last gets its own here.
    """
    names = [mention(u) for u in user_ids]
    joiner = " さん、" if lang == "ja" else ", "
    last = joiner if lang == "ja" else " and "
    if len(names) <= 1:
        return "".join(names)
    return joiner.join(names[:-1]) + last + names[-1]


def times(lang: str, n: int) -> str:
    """How often, in words: "once", "twice", "3 times" (the ``count.times_*`` keys)."""
    key = {1: "count.times_one", 2: "count.times_two"}.get(n, "count.times_other")
    return t(lang, key, n=format_number(n, lang))


def colleagues(lang: str, n: int) -> str:
    key = "count.colleagues_one" if n == 1 else "count.colleagues_other"
    return t(lang, key, n=format_number(n, lang))


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut with "…" at a word boundary when one is near.

    Never leaves half of Slack's ``<…>`` markup (a mention, a link) or half an emoji
    sequence behind: a broken ``<@U12`` would show as raw text.
    """
    if len(text) <= limit:
        return text
    cut = text[: _grapheme_start(text, max(limit - 1, 0))]
    opening = cut.rfind("<")
    if opening > cut.rfind(">"):
        cut = cut[:opening]
    boundary = max(cut.rfind(ch) for ch in WORD_BREAKS)
    if boundary >= len(cut) * WORD_CUT_SHARE:  # no boundary near the end: cut mid-word
        cut = cut[: boundary + 1] if cut[boundary] in "、。，" else cut[:boundary]
    return cut.rstrip() + "…"


def _grapheme_start(text: str, end: int) -> int:
    """``end`` moved back so that it does not split an emoji sequence (👩‍💻, 👍🏽, flags)."""
    while 0 < end < len(text) and (text[end] in CONTINUES or text[end - 1] == ZWJ):
        end -= 1
    return end


def _link(match: re.Match[str]) -> str:
    """``<target|label>`` as the reader should see it: the real target, never a disguise."""
    target, label = match.group("target"), match.group("label").strip()
    bare = target.split(":", 1)[-1].lstrip("/")
    if not label or label in (target, bare):
        return f"<{target}>"
    # The label shows what the writer meant, the target where it really goes.
    return f"{label.replace('<', '‹').replace('>', '›')} (<{target}>)"


def public_text(
    text: str, *, pings: Collection[str] | None = None, names: Mapping[str, str] | None = None
) -> str:
    """Someone's text made safe to repeat under the bot's name.

    Crowd pings (``<!channel>``) are defused, a link whose label differs from its target shows
    both, and when ``pings`` is given only those people's mentions stay mentions: everyone else
    mentioned is shown by name (``names``, else the label Slack sent), not notified again.
    """
    text = text.replace("<!", f"<{ZERO_WIDTH_SPACE}!")
    text = DISGUISED_LINK.sub(_link, text)
    if pings is None:
        return text

    def person(match: re.Match[str]) -> str:
        user_id, label = match.group(1), match.group(2)
        if user_id in pings:
            return mention(user_id)
        return "@" + ((names or {}).get(user_id) or label or user_id)

    return MENTION_LABEL.sub(person, text)


def excerpt(
    text: str,
    limit: int,
    *,
    pings: Collection[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """Someone's text on one line, safe to repeat inside a sentence: no pings, no line breaks."""
    flat = " ".join(public_text(text, pings=pings, names=names).split())
    return shorten(flat, limit)


def quote(
    text: str,
    limit: int,
    *,
    lines: int = QUOTE_LINES,
    pings: Collection[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """Someone's text as a block quote under a line of ours (``>`` on each of its lines):
    at most ``lines`` lines, blank ones dropped, the rest run together."""
    kept = [
        " ".join(line.split()) for line in public_text(text, pings=pings, names=names).splitlines()
    ]
    kept = [line for line in kept if line]
    if len(kept) > lines:
        kept = [*kept[: lines - 1], " ".join(kept[lines - 1 :])]
    cut = shorten("\n".join(kept), limit)
    return "\n".join(f">{line}" for line in cut.splitlines() or [""])


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text[:SECTION_MAX]}


def plain_text(text: str, limit: int = SECTION_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text)}


def fields(*texts: str) -> dict[str, Any]:
    return {"type": "section", "fields": [mrkdwn(text) for text in texts]}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(text)]}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain_text(text, 150)}


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def actions(block_id: str, *elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def button(
    label: str, action_id: str, value: str = "", *, style: str | None = None
) -> dict[str, Any]:
    """A button; ``value`` carries what its listener needs (an ask id, a state to set)."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain_text(label, BUTTON_LABEL_MAX),
        "action_id": action_id,
    }
    if value:
        element["value"] = value[:BUTTON_VALUE_MAX]
    if style:
        element["style"] = style
    return element


def with_accessory(
    block: dict[str, Any], block_id: str, accessory: dict[str, Any] | None
) -> dict[str, Any]:
    """``block`` with its id and, when given, a button beside it."""
    block["block_id"] = block_id[:255]
    if accessory is not None:
        block["accessory"] = accessory
    return block
