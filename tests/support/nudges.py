"""Shared set-up for the scheduler's tests: a ledger to sweep, a client on the fake Slack."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient

from bot.app import build_client
from bot.devtools.fakeslack import FakeSlack
from bot.domain.favours import Ask
from bot.services.deps import Deps, build_deps
from storage import Store
from tests.conftest import TEAM, FakeClock, settings_for
from tests.support.events import help_events

_keys = itertools.count(1)


async def helped(
    store: Store, giver: str, receiver: str, times: int, *, at: datetime, team: str = TEAM
) -> None:
    """``giver`` helped ``receiver`` ``times`` times, one a day going back from ``at``."""
    events = help_events(
        giver,
        receiver,
        times,
        latest=at - timedelta(days=1),
        spacing=timedelta(days=1),
        key=f"seed:{next(_keys)}",
        team=team,
    )
    await store.events.record(events)


@dataclass
class Env:
    deps: Deps
    client: AsyncWebClient
    fake: FakeSlack
    clock: FakeClock

    @property
    def store(self) -> Store:
        return self.deps.store

    def dms(self, user_id: str) -> list[dict]:
        return self.fake.messages.get(self.fake.dm_channel(user_id), [])

    def posted_keys(self) -> list[str]:
        """The nudge key of every chat.postMessage that went through (failed ones excluded)."""
        return [
            c.args["metadata"]["event_payload"]["key"]
            for c in self.fake.calls_to("chat.postMessage")
            if not c.failed
        ]


def make_env(store: Store, fake: FakeSlack, clock: FakeClock, **client_kw: object) -> Env:
    # Slack's message timestamps follow the app's clock, as they do in production.
    fake.clock = lambda: clock().timestamp()
    deps = build_deps(store, clock)
    client = build_client(settings_for(fake, Path("unused.db")))
    if client_kw.get("retries") is False:
        client = AsyncWebClient(token=client.token, base_url=client.base_url, retry_handlers=[])
    return Env(deps, client, fake, clock)


class ListAsks:
    """Open asks from a plain list: stands in for the favours feature's store."""

    def __init__(self, asks: list[Ask]) -> None:
        self.asks = asks

    async def open_asks(self, team_id: str) -> list[Ask]:
        return [a for a in self.asks if a.team_id == team_id]
