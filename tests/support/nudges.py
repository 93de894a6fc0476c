"""Shared set-up for the scheduler's tests: a ledger to sweep, a client on the fake Slack."""

from __future__ import annotations

import dataclasses
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


async def asked(
    store: Store,
    asker: str,
    times: int,
    *,
    at: datetime,
    helper: str | None = None,
    team: str = TEAM,
) -> None:
    """``asker`` posted ``times`` asks, one a day going back from ``at``; each resolved by
    ``helper`` (help credited on the ask) when one is named, else withdrawn. Asking, all of it."""
    for day in range(1, times + 1):
        moment = at - timedelta(days=day)
        ask, _ = await store.asks.create(
            team_id=team,
            asker_id=asker,
            text="an earlier ask",
            channel_id="C0001",
            asked=[],
            held=False,
            now=moment,
            key=f"asked:{next(_keys)}",
        )
        if helper is None:
            await store.asks.withdraw(team_id=team, ask_id=ask.id, now=moment)
        else:
            await store.asks.resolve(ask=ask, helpers=[helper], note="", now=moment)


async def open_ask(store: Store, asker: str, text: str, *, at: datetime, team: str = TEAM) -> Ask:
    """An ask ``asker`` posted an hour before ``at``, open: something to help with."""
    ask, _ = await store.asks.create(
        team_id=team,
        asker_id=asker,
        text=text,
        channel_id="C0001",
        asked=[],
        held=False,
        now=at - timedelta(hours=1),
        key=f"open:{next(_keys)}",
    )
    return ask


async def welcomed(store: Store, *users: str, at: datetime, team: str = TEAM) -> None:
    """These people had their welcome already (so a test sees only what it is about)."""
    for user in users:
        prefs = await store.preferences.user(team, user)
        await store.preferences.save_user(
            team, user, dataclasses.replace(prefs, welcomed=True), now=at
        )


async def asking_without_giving(
    store: Store, user: str, *, at: datetime, helper: str, team: str = TEAM
) -> None:
    """``user`` is due an invitation at ``at``: welcomed; three asks lately, each resolved by
    ``helper``, and two thanks to them: six favours asked, none given, five help events (no
    longer new). The open asks to help with come from the test."""
    await asked(store, user, 3, at=at, helper=helper, team=team)
    await helped(store, helper, user, 2, at=at, team=team)
    await welcomed(store, user, at=at, team=team)


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
