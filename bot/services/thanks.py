"""Saying thanks: validate the people named, then record one help event per helper."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.parsing import NOTE_MAX, ThanksRequest
from bot.domain.records import HelpEvent
from bot.i18n.catalog import t
from bot.services.deps import Deps
from bot.views.blocks import people


@dataclass(frozen=True)
class ThanksOutcome:
    request: ThanksRequest
    recorded: tuple[str, ...] = ()
    already: tuple[str, ...] = ()
    bots: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def helpers(self) -> tuple[str, ...]:
        """Everyone validly thanked, whether new now or recorded by an earlier delivery."""
        return self.recorded + self.already

    @property
    def is_redelivery(self) -> bool:
        return bool(self.already) and not self.recorded

    def problems(self, lang: str) -> list[str]:
        """Friendly explanations for the invoker, most important first."""
        lines = []
        request = self.request
        if self.unknown:
            lines.append(t(lang, "thanks.lookup_failed", people=people(self.unknown, lang)))
        if request.self_mentioned:
            lines.append(t(lang, "thanks.self"))
        if self.bots:
            lines.append(t(lang, "thanks.bots", people=people(self.bots, lang)))
        if request.empty and not request.self_mentioned:
            lines.append(t(lang, "thanks.plain_at" if request.plain_at else "thanks.no_person"))
        if request.note_truncated and self.helpers:
            lines.append(t(lang, "thanks.truncated", limit=NOTE_MAX))
        return lines


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
    bots = tuple(u for u, p in profiles.items() if p is not None and (p.is_bot or p.deleted))
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
    inserted = (
        await deps.store.events.record(events, daily_cap=settings.daily_pair_cap) if events else []
    )
    recorded = tuple(e.giver_id for e, new in zip(events, inserted, strict=True) if new)
    already = tuple(e.giver_id for e, new in zip(events, inserted, strict=True) if not new)
    return ThanksOutcome(request, recorded=recorded, already=already, bots=bots)
