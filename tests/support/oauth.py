"""Many workspaces in one bot (OAuth): install through the fake's OAuth, then act per team."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import aiohttp

from bot.config import Settings
from bot.devtools.fakeslack import FakeSlack
from bot.devtools.playground.clock import FakeClock
from bot.devtools.simulate import SignedSender
from bot.jobs.scheduler import Scheduler
from bot.server import EVENTS_PATH, running
from storage.store import Store

SECRET = "test-signing-secret"  # the same as tests/conftest.py's
ALICE = "UALICE"


@dataclass
class Distributed:
    fake: FakeSlack
    base: str
    store: Store
    http: aiohttp.ClientSession
    scheduler: Scheduler | None = None

    def sender(self, team_id: str) -> SignedSender:
        return SignedSender(f"{self.base}{EVENTS_PATH}", SECRET, team_id=team_id)

    async def install(self, team_id: str) -> aiohttp.ClientResponse:
        """What an admin's browser does: open the install page, say yes, follow the redirect."""
        state, cookie = await self.start_install()
        return await self.finish_install(
            self.fake.oauth.grant(team_id, user_id=ALICE), state, cookie
        )

    async def start_install(self) -> tuple[str, str]:
        """The install page: the state in Slack's authorize link, and the browser's cookie."""
        page = await self.http.get(f"{self.base}/slack/install")
        assert page.status == 200
        state = re.search(r"state=([\w-]+)", await page.text()).group(1)  # type: ignore[union-attr]
        return state, page.headers["Set-Cookie"].split(";", 1)[0]

    async def finish_install(self, code: str, state: str, cookie: str) -> aiohttp.ClientResponse:
        # Sent by hand: the cookie is Secure and the test server is plain http on loopback.
        return await self.http.get(
            f"{self.base}/slack/oauth_redirect",
            params={"code": code, "state": state},
            headers={"Cookie": cookie},
        )


@contextlib.asynccontextmanager
async def serving(
    fake: FakeSlack,
    clock: FakeClock,
    database_url: str,
    token_keys: tuple[str, ...] = (),
    *,
    scheduler: bool = False,
) -> AsyncIterator[Distributed]:
    settings = Settings(
        signing_secret=SECRET,
        slack_api_url=fake.api_url,
        database=database_url,
        port=0,
        client_id=fake.oauth.client_id,
        client_secret=fake.oauth.client_secret,
        token_keys=token_keys,
    )
    async with running(settings, clock=clock, host="127.0.0.1", scheduler=scheduler) as live:
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{live.port}"
            yield Distributed(fake, base, live.deps.store, http, live.scheduler)


async def eventually(condition: Callable[[], Awaitable[bool]], within: float = 5.0) -> bool:
    """Poll until a background listener's effect shows (bounded; not a timing assertion)."""
    deadline = asyncio.get_running_loop().time() + within
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True
