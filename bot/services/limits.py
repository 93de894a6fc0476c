"""Per-person limits and once-only messages, counted in the store (see bot.domain.limits)."""

from __future__ import annotations

from bot.domain.limits import Limit, notice_of
from bot.services.deps import Deps


async def allow(deps: Deps, team_id: str, subject_id: str, limit: Limit, want: int = 1) -> int:
    """How many of ``want`` messages ``subject_id`` may cause now (0 when the limit is spent)."""
    return await deps.store.send_counts.take(
        team_id=team_id,
        subject_id=subject_id,
        kind=limit.kind,
        period=limit.period(deps.clock()),
        want=want,
        most=limit.most,
    )


async def once(deps: Deps, team_id: str, subject_id: str, limit: Limit) -> bool:
    """True the first time (per period of ``limit``): say it now, never again."""
    return await allow(deps, team_id, subject_id, limit) == 1


async def first_notice(deps: Deps, team_id: str, user_id: str, limit: Limit) -> bool:
    """Whether to tell ``user_id`` that ``limit`` was reached: once per period, not per refusal."""
    return await once(deps, team_id, user_id, notice_of(limit))
