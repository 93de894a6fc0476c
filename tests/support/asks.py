"""Asks built by name for pure tests: the store would number them; here a name does."""

from __future__ import annotations

from datetime import datetime, timedelta

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
