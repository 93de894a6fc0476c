"""Asks that close, pure: when an unanswered ask gets its one check-in and when it closes by
itself; which two-way ties are going quiet.

Both clocks run from when the asker last said they still need help (``touched_at``: "Keep it
open", "Still need help"), else from when the ask was posted. Asks with offers never close by
themselves: the close-the-loop reminder asks the asker to press Resolved.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from bot.domain.favours import Ask
from bot.domain.network import Counterpart, is_anonymous

CHECKIN = "checkin"  # nudge_log kinds: the asker's one check-in, and the note that it closed
AUTOCLOSED = "autoclosed"
QUIET_SHOWN = 5


def waiting_since(ask: Ask) -> datetime:
    return ask.touched_at or ask.created_at


def unanswered_for(ask: Ask, now: datetime, days: int) -> bool:
    """Open, nobody offered, and ``days`` (> 0) passed since the asker last said it is needed."""
    return (
        days > 0
        and ask.is_open
        and not ask.offers
        and now - waiting_since(ask) >= timedelta(days=days)
    )


def needs_checkin(ask: Ask, now: datetime, checkin_days: int, autoclose_days: int) -> bool:
    """The one check-in, unless the ask is about to close by itself anyway."""
    return unanswered_for(ask, now, checkin_days) and not unanswered_for(ask, now, autoclose_days)


def days_left(ask: Ask, now: datetime, autoclose_days: int) -> int | None:
    """Whole days until an unanswered ask closes by itself; None when asks never do."""
    if autoclose_days <= 0:
        return None
    left = waiting_since(ask) + timedelta(days=autoclose_days) - now
    return max(0, left.days)


def quiet_ties(
    counterparts: Sequence[Counterpart],
    now: datetime,
    quiet_days: int,
    *,
    hidden: Collection[str] = (),
    limit: int = QUIET_SHOWN,
) -> list[Counterpart]:
    """Two-way ties with no help either way for ``quiet_days``: the longest quiet first."""
    if quiet_days <= 0:
        return []
    cutoff = now - timedelta(days=quiet_days)
    quiet = [
        c
        for c in counterparts
        if c.two_way
        and c.user_id not in hidden
        and not is_anonymous(c.user_id)
        and (c.last_exchange is None or c.last_exchange <= cutoff)
    ]
    quiet.sort(key=lambda c: (c.last_exchange.timestamp() if c.last_exchange else 0.0, c.user_id))
    return quiet[:limit]
