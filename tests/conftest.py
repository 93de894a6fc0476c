"""Fixtures: real SQLite files, the fake Slack, and the real app served on loopback."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from bot import redaction
from bot.config import Settings
from bot.devtools.fakeslack import FakeSlack
from bot.devtools.playground.clock import FakeClock  # one clock for the tests and the playground
from bot.devtools.simulate import SignedSender
from bot.server import EVENTS_PATH, running
from bot.services.deps import Deps
from storage import Store, open_store
from tests.support import pgserver
from tests.support.contracts import check_blocks, check_view, check_web_api_call

SECRET = "test-signing-secret"
TEAM = "T0001"
ALICE, BOB, CAROL, DAVE = "UALICE", "UBOB", "UCAROL", "UDAVE"
HELPER_BOT = "UHELPERBOT"


@pytest.fixture(autouse=True)
def _logging_left_as_found() -> Iterator[None]:
    """A test that runs the CLI in-process leaves logging as it found it for the tests after
    it: configure_logging installs bot.redaction, sets the root level, and adds a handler
    writing to that test's captured stderr (closed once the test ends)."""
    root = logging.getLogger()
    factory, level, handlers = logging.getLogRecordFactory(), root.level, set(root.handlers)
    yield
    if logging.getLogRecordFactory() is factory:
        return
    redaction.uninstall()
    logging.setLogRecordFactory(factory)
    root.setLevel(level)
    for handler in root.handlers[:]:
        if handler not in handlers and not type(handler).__module__.startswith("_pytest"):
            root.removeHandler(handler)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A superuser URL for a throwaway PostgreSQL; skipped, saying why, when none can start."""
    try:
        with pgserver.cluster() as url:
            yield url
    except pgserver.Unavailable as exc:
        pytest.skip(f"PostgreSQL half skipped: {exc}")


@pytest.fixture
async def postgres_url(postgres_server: str) -> AsyncIterator[str]:
    """A fresh, empty database for one test, dropped after it."""
    name = f"giveback_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield pgserver.database_url(postgres_server, name)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on both backends."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = await open_store(database_url)
    yield opened
    await opened.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack(team_id=TEAM)
    slack.add_user(ALICE, "alice", tz="America/New_York")
    slack.add_user(BOB, "bob", tz="Asia/Tokyo", locale="ja-JP")
    slack.add_user(CAROL, "carol", tz="Europe/London")
    slack.add_user(DAVE, "dave", tz="America/Los_Angeles", is_admin=True)
    slack.add_user(HELPER_BOT, "deploybot", is_bot=True)
    await slack.start()
    yield slack
    await slack.stop()
    # Contract checks over everything the app sent during the test.
    for call in slack.calls:
        if call.method == "response_url":
            check_blocks(call.args.get("blocks"))
            continue
        check_web_api_call(call.method, call.args)
        check_blocks(call.args.get("blocks"))
        if "view" in call.args and isinstance(call.args["view"], dict):
            check_view(call.args["view"])


@dataclass
class Bot:
    fake: FakeSlack
    sender: SignedSender
    deps: Deps
    clock: FakeClock
    database: Path  # the SQLite file (unused when ``backend`` is postgresql)
    backend: str = "sqlite"

    @property
    def store(self) -> Store:
        return self.deps.store

    async def thanks(
        self, text: str, user_id: str = ALICE, **kwargs: str
    ) -> tuple[int, object, str]:
        """Run ``/thanks``; return (status, ack body, response_url used)."""
        response_url = self.fake.response_url()
        reply = await self.sender.command(
            "/thanks", text, user_id=user_id, response_url=response_url, **kwargs
        )
        return reply.status, reply.json(), response_url

    async def events(self, team_id: str = TEAM) -> list:
        return [e async for e in self.store.events.export(team_id=team_id)]


def settings_for(fake: FakeSlack, database: Path | str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": "xoxb-test-token",
        "signing_secret": SECRET,
        "slack_api_url": fake.api_url,
        "database": str(database),
        "port": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_backends`` run the app on SQLite and on PostgreSQL (the rest: SQLite)."""
    if "bot" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("bot_backend", ["sqlite", "postgresql"])


@pytest.fixture
def bot_backend() -> str:
    return "sqlite"


@pytest.fixture
def bot_database(bot_backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the app under test keeps its data: a SQLite file, or a fresh PostgreSQL database."""
    if bot_backend == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "giveback.db")


@pytest.fixture
async def bot(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path, bot_backend: str, bot_database: str
) -> AsyncIterator[Bot]:
    database = tmp_path / "giveback.db"
    settings = settings_for(fake, bot_database)
    async with running(settings, clock=clock, host="127.0.0.1") as live:
        assert live.deps.store.db.dialect == bot_backend
        sender = SignedSender(f"http://127.0.0.1:{live.port}{EVENTS_PATH}", SECRET, team_id=TEAM)
        yield Bot(fake, sender, live.deps, clock, database, bot_backend)
        await sender.close()
