"""``giveback nudge``: preview a sweep (``--dry-run``) or run one now (``--now``)."""

from __future__ import annotations

from datetime import datetime
from typing import TextIO

from bot.config import Settings
from bot.domain.records import Clock, utc_now
from bot.jobs.sweep import dry_run, run_sweep
from bot.services.deps import build_deps
from storage import open_store


async def preview(path: str, at: datetime | None, team: str | None, out: TextIO) -> None:
    """Who would be nudged at ``at`` and why, from the store alone: no Slack call at all."""
    store = await open_store(path)
    try:
        moment = at or utc_now()
        deps = build_deps(store, lambda: moment)
        report = await dry_run(deps, moment, team_id=team)
        out.write("\n".join(report.lines(dry_run=True)) + "\n")
    finally:
        await store.close()


async def sweep_now(
    settings: Settings, team: str | None, out: TextIO, *, clock: Clock = utc_now
) -> None:
    """One real sweep, as the scheduler would run it."""
    from bot.app import build_client  # Slack libraries only for the command that talks to Slack
    from bot.sealing import Sealer
    from bot.slack.oauth import StoreInstallations, team_tokens

    store = await open_store(settings.database)
    client = build_client(settings)
    # With OAuth each workspace speaks with its own installation's token, as in the scheduler.
    token_for = (
        team_tokens(StoreInstallations(store.installations, Sealer(settings.token_keys)))
        if settings.multi_workspace
        else None
    )
    try:
        deps = build_deps(store, clock, default_language=settings.language)
        report = await run_sweep(deps, client, clock(), team_id=team, token_for=token_for)
        out.write("\n".join(report.lines()) + "\n")
    finally:
        await store.close()
