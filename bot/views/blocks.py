"""The UI kit: the Block Kit pieces every view is built from (pure).

One ``button()``, one ``times()``, one way to quote a text someone wrote: views compose these
and never build the same element by hand, so a Slack limit (75 characters on a button's
label, 3,000 on a section) is enforced in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.i18n.catalog import t
from bot.i18n.localize import format_number

Blocks = list[dict[str, Any]]
SECTION_MAX = 3000
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
ZERO_WIDTH_SPACE = "\u200b"


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
    """At most ``limit`` characters, cut with "…"."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def excerpt(text: str, limit: int) -> str:
    """Someone's text on one line, safe to repeat inside a sentence: no pings, no line breaks."""
    flat = " ".join(text.replace("<!", f"<{ZERO_WIDTH_SPACE}!").split())
    return shorten(flat, limit)


def quote(text: str, limit: int) -> str:
    """Someone's text as a block quote under a line of ours (``>`` on each of its lines)."""
    cut = shorten(text.replace("<!", f"<{ZERO_WIDTH_SPACE}!"), limit)
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
