"""One sweep: for each workspace, decide who gets what now, then deliver it exactly once.

Callable directly (tests, ``giveback nudge --now``, the playground) and from the scheduler.
``now`` always comes from the caller (the injected clock), never from the wall.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.nudges import (
    Ask,
    AskSource,
    Decision,
    NudgeKey,
)
from bot.domain.records import UserProfile
from bot.i18n.catalog import language_for
from bot.jobs.digest import plan_digest
from bot.jobs.followups import plan_followups
from bot.jobs.personal import plan_personal
from bot.jobs.reminders import plan_reminders
from bot.services.deps import Deps
from bot.services.directory import LookupFailed
from bot.services.followup import close_unanswered
from bot.slack.delivery import Outgoing, deliver_all
from bot.slack.oauth import TokenFor

log = logging.getLogger(__name__)
CONCURRENCY = 4  # users.info lookups at once while planning
# Deliveries at once: Slack limits rates, not connections (bot.slack.pacing keeps to the rates), and
# each delivery spends most of its time waiting on two store commits and two Web API calls.
SEND_CONCURRENCY = 16
Lookup = Callable[[str], Awaitable[UserProfile | None]]


@dataclass
class TeamPlan:
    team_id: str
    decisions: list[Decision] = field(default_factory=list)
    messages: list[Outgoing] = field(default_factory=list)
    reasons: dict[NudgeKey, str] = field(default_factory=dict)
    outcomes: dict[NudgeKey, str] = field(default_factory=dict)  # after delivery, or dry-run status


@dataclass
class SweepReport:
    now: datetime
    plans: list[TeamPlan] = field(default_factory=list)

    def outcomes(self) -> dict[NudgeKey, str]:
        return {k: v for plan in self.plans for k, v in plan.outcomes.items()}

    def sent(self) -> list[NudgeKey]:
        return [k for k, v in self.outcomes().items() if v == "sent"]

    def lines(self, *, dry_run: bool = False) -> list[str]:
        out = [f"sweep at {self.now.isoformat()}" + (" (dry run: nothing sent)" if dry_run else "")]
        for plan in self.plans:
            out.append(f"{plan.team_id}:")
            for m in plan.messages:
                verb = "would send" if dry_run else plan.outcomes.get(m.key, "?")
                status = f" [{plan.outcomes[m.key]}]" if dry_run and m.key in plan.outcomes else ""
                target = m.key.recipient_id
                out.append(f"  {verb} {m.key.kind} to {target}: {plan.reasons[m.key]}{status}")
            for d in plan.decisions:
                if d.kind is None:
                    out.append(f"  not {d.user_id}: {d.reason}")
        return out


class StoredAsks:
    """Open asks from the store (the favours feature)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def open_asks(self, team_id: str) -> list[Ask]:
        return await self._deps.store.asks.open_asks(team_id)


def ask_source(deps: Deps) -> AskSource:
    return StoredAsks(deps)


async def run_sweep(
    deps: Deps,
    client: AsyncWebClient,
    now: datetime,
    *,
    asks: AskSource | None = None,
    team_id: str | None = None,
    concurrency: int = SEND_CONCURRENCY,
    token_for: TokenFor | None = None,
) -> SweepReport:
    """Plan and deliver everything due at ``now``; one workspace's failure spares the others.

    ``token_for``: each workspace's bot token (OAuth, many workspaces); without it every
    workspace is sent to with ``client``'s own token (one workspace, SLACK_BOT_TOKEN).
    """
    source = asks or ask_source(deps)
    report = SweepReport(now)
    departed = await deps.store.retention.departures()  # uninstalled: no token, no nudges
    for team in [team_id] if team_id else await deps.store.activity.teams():
        if team in departed:
            continue
        try:
            team_client = await _client_for(client, team, token_for)
            if team_client is None:
                log.warning("nudge sweep skipped team %s: no bot token is installed", team)
                continue
            await close_unanswered(deps, team_client, team, now)
            plan = await plan_team(deps, team, now, live_lookup(deps, team_client, team), source)
            plan.outcomes = await deliver_all(
                team_client,
                deps.store.nudges,
                plan.messages,
                now=now,
                concurrency=concurrency,
                dm_channels=deps.store.dm_channels,
            )
        except Exception:
            log.exception("nudge sweep failed for team %s", team)
            continue
        report.plans.append(plan)
        if plan.messages:
            log.info("sweep team=%s %s", team, _summary(plan.outcomes))
    return report


async def _client_for(
    client: AsyncWebClient, team: str, token_for: TokenFor | None
) -> AsyncWebClient | None:
    """The client that speaks for ``team``: the same session and retries, its own token."""
    if token_for is None:
        return client
    token = await token_for(team)
    if token is None:
        return None
    speaking = copy.copy(client)
    speaking.token = token
    return speaking


async def dry_run(
    deps: Deps, now: datetime, *, team_id: str | None = None, asks: AskSource | None = None
) -> SweepReport:
    """What a sweep at ``now`` would send and why, from cached profiles only; sends nothing."""
    source = asks or ask_source(deps)
    report = SweepReport(now)
    for team in [team_id] if team_id else await deps.store.activity.teams():
        known = await deps.store.profiles.all(team)  # one query, not one per person

        async def cached(user_id: str, known: dict[str, UserProfile] = known) -> UserProfile | None:
            return known.get(user_id)

        plan = await plan_team(deps, team, now, cached, source)
        for m in plan.messages:
            record = await deps.store.nudges.get(m.key)
            if record is not None:
                plan.outcomes[m.key] = f"already {record.status}"
        report.plans.append(plan)
    return report


def live_lookup(deps: Deps, client: AsyncWebClient, team_id: str) -> Lookup:
    """users.info through the directory's cache; the cached row if Slack does not answer."""

    async def lookup(user_id: str) -> UserProfile | None:
        try:
            return await deps.directory.profile(client, team_id, user_id)
        except LookupFailed:
            return await deps.store.profiles.get(team_id=team_id, user_id=user_id)

    return lookup


async def plan_team(
    deps: Deps, team: str, now: datetime, lookup: Lookup, asks: AskSource
) -> TeamPlan:
    settings = await deps.workspace(team)
    default_lang = settings.language or deps.default_language
    plan = TeamPlan(team)
    profiles: dict[str, UserProfile | None] = {}
    gate = asyncio.Semaphore(CONCURRENCY)

    async def profile(user_id: str) -> UserProfile | None:
        if user_id not in profiles:
            async with gate:
                profiles[user_id] = await lookup(user_id)
        return profiles[user_id]

    def lang_of(user_id: str) -> str:
        found = profiles.get(user_id)
        return language_for(found.locale if found else None, default_lang)

    open_asks = await asks.open_asks(team)
    decisions, personal = await plan_personal(
        deps, team, now, settings, open_asks, profile, lang_of
    )
    plan.decisions += decisions
    planned = personal + await plan_reminders(
        deps, team, now, settings, open_asks, profile, lang_of
    )
    planned += await plan_followups(deps, team, now, settings, open_asks, profile, lang_of)
    if digest := await plan_digest(deps, team, now, settings, open_asks, default_lang):
        planned.append(digest)
    for out, reason in planned:
        plan.messages.append(out)
        plan.reasons[out.key] = reason
    return plan


def _summary(outcomes: dict[NudgeKey, str]) -> str:
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
