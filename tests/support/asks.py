"""Asks built by name for pure tests: the store would number them; here a name does."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.domain.favours import Ask

_ids: dict[str, int] = {}


def ask_id(name: str) -> int:
    """Asks are named in these tests; the store would number them."""
    return _ids.setdefault(name, len(_ids) + 1)


def named_ask(
    name: str, asker: str, now: datetime, *, days: float = 0, offers: tuple[str, ...] = ()
) -> Ask:
    created = now - timedelta(days=days)
    return Ask(ask_id(name), "T1", asker, f"help with {name}", "C1", "open", created, offers=offers)


MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def words_shown(text: str, blocks: list[dict[str, Any]], *, quoted: Iterable[str] = ()) -> str:
    """What giveback itself says in a message: the fallback text and every text object a
    person reads (sections, fields, contexts, buttons), with mentions and the words people
    wrote (``quoted``: the asks shown) taken out. Ids and values are not read by anyone."""
    found = [text]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    shown = MENTION.sub("@someone", "\n".join(found))
    for words in quoted:
        shown = shown.replace(words, "")
    return shown
