"""/healthz and /readyz: in HTTP mode on the Slack port, in Socket Mode on a port of their own;
no signature needed, nothing revealed but ok / not ok, and /readyz follows the database and
the Slack token."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import asyncpg
import pytest

from bot.devtools.fakeslack import FakeSlack
from bot.server import running
from tests.conftest import FakeClock, settings_for

BACKENDS = pytest.mark.parametrize("bot_backend", ["sqlite", "postgresql"])


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(url) as response:
        return response.status, await response.text()


class Outage:
    """Takes the bot's database away and brings it back, on either backend."""

    def __init__(self, backend: str, database: str, request: pytest.FixtureRequest) -> None:
        self.backend, self.database = backend, database
        self._server = request.getfixturevalue("postgres_server") if backend == "postgresql" else ""

    async def begin(self) -> None:
        if self.backend == "sqlite":  # the file is moved away (a volume unmounted, a rm)
            os.rename(self.database, f"{self.database}.away")
            return
        await self._postgres(  # the database stops taking connections; the bot's are cut
            "ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",
        )

    async def end(self) -> None:
        if self.backend == "sqlite":
            os.rename(f"{self.database}.away", self.database)
            return
        await self._postgres("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")

    async def _postgres(self, *statements: str) -> None:
        name = self.database.rpartition("/")[2]
        admin = await asyncpg.connect(self._server)
        try:
            for statement in statements:
                await admin.execute(statement.format(name=name))
        finally:
            await admin.close()


@BACKENDS
async def test_readyz_turns_not_ready_while_the_database_is_away_and_back_after(
    fake: FakeSlack,
    clock: FakeClock,
    bot_backend: str,
    bot_database: str,
    http: aiohttp.ClientSession,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    outage = Outage(bot_backend, bot_database, request)
    settings = settings_for(fake, bot_database)
    async with running(settings, clock=clock, host="127.0.0.1", ready_every=0) as live:
        base = f"http://127.0.0.1:{live.port}"
        assert await get(http, f"{base}/healthz") == (200, "ok\n")
        assert await get(http, f"{base}/readyz") == (200, "ok\n")
        await outage.begin()
        try:
            assert await get(http, f"{base}/readyz") == (503, "not ready\n")
            assert await get(http, f"{base}/healthz") == (200, "ok\n")  # alive: no restart
            [why] = [r.getMessage() for r in caplog.records if "not ready" in r.getMessage()]
            assert why.startswith("not ready: database (") and "slack token" not in why
        finally:
            await outage.end()
        assert await get(http, f"{base}/readyz") == (200, "ok\n")


async def test_the_checks_run_at_most_once_per_interval_however_many_probes(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    settings = settings_for(fake, tmp_path / "giveback.db")
    async with running(settings, clock=clock, host="127.0.0.1", ready_every=600) as live:
        url = f"http://127.0.0.1:{live.port}/readyz"
        before = len(fake.calls_to("auth.test"))
        for _ in range(10):
            assert await get(http, url) == (200, "ok\n")
        assert len(fake.calls_to("auth.test")) == before + 1


async def test_a_token_slack_refuses_is_not_ready_and_the_answer_says_no_more(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    settings = settings_for(fake, tmp_path / "giveback.db")
    async with running(settings, clock=clock, host="127.0.0.1", ready_every=0) as live:
        url = f"http://127.0.0.1:{live.port}/readyz"
        fake.fail("auth.test", error="invalid_auth")
        async with http.get(url) as response:
            assert (response.status, await response.text()) == (503, "not ready\n")
            assert "invalid" not in str(response.headers).lower()
        assert await get(http, url) == (200, "ok\n")  # Slack takes the token again


async def test_socket_mode_serves_the_probes_on_their_own_port(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    settings = settings_for(
        fake, tmp_path / "socket.db", app_token="xapp-1-test", signing_secret=None, health_port=0
    )
    async with running(settings, clock=clock, host="127.0.0.1", ready_every=0) as live:
        assert live.port is None and live.health_port
        await fake.wait_for_socket()
        base = f"http://127.0.0.1:{live.health_port}"
        assert await get(http, f"{base}/healthz") == (200, "ok\n")
        assert await get(http, f"{base}/readyz") == (200, "ok\n")
        assert (await get(http, f"{base}/metrics"))[0] == 404  # metrics are off by default
        fake.fail("auth.test", error="invalid_auth")
        assert await get(http, f"{base}/readyz") == (503, "not ready\n")


async def test_probes_need_no_signature_and_slack_requests_still_do(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    settings = settings_for(fake, tmp_path / "giveback.db")
    async with running(settings, clock=clock, host="127.0.0.1") as live:
        base = f"http://127.0.0.1:{live.port}"
        assert (await get(http, f"{base}/readyz"))[0] == 200
        async with http.post(f"{base}/slack/events", data={"command": "/thanks"}) as response:
            assert response.status == 401
        assert (await get(http, f"{base}/metrics"))[0] == 404
