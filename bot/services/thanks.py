"""Saying thanks: validate the people named, then record one help event per helper."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.parsing import ThanksRequest
from bot.domain.records import HelpEvent, Stored
from bot.domain.thanks import ThanksOutcome
from bot.services.deps import Deps


async def give_thanks(
    deps: Deps,
    client: AsyncWebClient,
    *,
    team_id: str,
    giver: str,
    request: ThanksRequest,
    source: str,
    channel_id: str | None,
    key: str,
) -> ThanksOutcome:
    """Record that each person in ``request`` helped ``giver``; nothing invalid is stored.

    ``key`` identifies Slack's delivery (trigger_id, event_id, ...): recording the same
    delivery twice stores nothing new.
    """
    if request.empty:
        return ThanksOutcome(request)
    profiles = await deps.directory.profiles(client, team_id, request.receivers)
    unknown = tuple(u for u, p in profiles.items() if p is None)
    bots = tuple(u for u, p in profiles.items() if p is not None and not p.is_person)
    valid = tuple(u for u in request.receivers if u not in unknown and u not in bots)
    if unknown:
        # Stay all-or-nothing: a partial record would surprise the person who retries.
        return ThanksOutcome(request, bots=bots, unknown=unknown)
    settings = await deps.store.preferences.workspace(team_id)
    now = deps.clock()
    events = [
        HelpEvent(
            team_id=team_id,
            giver_id=helper,
            receiver_id=giver,
            note=request.note,
            source=source,
            channel_id=channel_id,
            created_at=now,
            key=f"{key}:{helper}",
        )
        for helper in valid
    ]
    stored = await deps.store.events.record_each(events, daily_cap=settings.daily_pair_cap)
    outcomes = list(zip(events, stored, strict=True))
    return ThanksOutcome(
        request,
        recorded=tuple(e.giver_id for e, s in outcomes if s.new),
        already=tuple(e.giver_id for e, s in outcomes if not s.new),
        bots=bots,
        # Past the daily cap for a pair, a thanks is stored uncounted: not announced again.
        uncounted=tuple(e.giver_id for e, s in outcomes if s is Stored.UNCOUNTED),
    )
