"""Many workspaces: install through OAuth, act per team with that team's token, uninstall."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.cli.nudge import sweep_now
from bot.config import Settings
from bot.devtools.fakeslack import FakeSlack
from bot.domain.settings import WorkspaceSettings
from bot.jobs.retention import RETENTION_AFTER_UNINSTALL, erase_departed
from bot.jobs.scheduler import SWEEP_JOB
from bot.sealing import Sealer, is_sealed, new_key
from bot.services.deps import build_deps
from bot.slack import oauth
from storage import Store
from storage.installations import Key
from tests.conftest import ALICE, BOB, FakeClock
from tests.support.oauth import Distributed, eventually, serving

T2, T3 = "T0002", "T0003"


@pytest.fixture
async def distributed(
    fake: FakeSlack, clock: FakeClock, database_url: str
) -> AsyncIterator[Distributed]:
    async with serving(fake, clock, database_url) as running_app:
        yield running_app


async def thanks_from(distributed: Distributed, team_id: str) -> None:
    sender = distributed.sender(team_id)
    try:
        reply = await sender.command(
            "/thanks",
            f"<@{BOB}> for the review",
            user_id=ALICE,
            response_url=distributed.fake.response_url(),
        )
    finally:
        await sender.close()
    assert reply.status == 200


async def test_an_install_stores_the_team_token_and_requests_use_it(
    distributed: Distributed,
) -> None:
    done = await distributed.install(T2)
    assert done.status == 200
    bot = await distributed.store.installations.find_bot(Key(None, T2))
    assert bot is not None and bot["bot_token"].startswith(f"xoxb-{T2}-")
    assert await distributed.store.installations.find(Key(None, T2), user_id=ALICE) is not None

    await thanks_from(distributed, T2)
    events = [e async for e in distributed.store.events.export(team_id=T2)]
    assert [(e.giver_id, e.receiver_id) for e in events] == [(BOB, ALICE)]  # Bob helped
    lookups = distributed.fake.calls_to("users.info")
    assert lookups and {c.token for c in lookups} == {bot["bot_token"]}


async def test_a_replayed_state_installs_nothing(distributed: Distributed) -> None:
    state, cookie = await distributed.start_install()
    first = await distributed.finish_install(distributed.fake.oauth.grant(T2), state, cookie)
    assert first.status == 200
    again = await distributed.finish_install(distributed.fake.oauth.grant(T3), state, cookie)
    assert again.status == 401  # Bolt: invalid_state
    assert await distributed.store.installations.find_bot(Key(None, T3)) is None


async def test_a_team_without_an_installation_is_refused(distributed: Distributed) -> None:
    sender = distributed.sender(T3)
    try:
        reply = await sender.command(
            "/thanks", f"<@{BOB}>", user_id=ALICE, response_url=distributed.fake.response_url()
        )
    finally:
        await sender.close()
    assert reply.status == 200
    told = await distributed.fake.wait_for("response_url")
    assert "install" in told[0].args["text"]
    assert [e async for e in distributed.store.events.export()] == []


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}},
    ],
)
async def test_revoked_tokens_are_deleted_and_only_that_teams(
    distributed: Distributed, event: dict[str, object]
) -> None:
    for team in (T2, T3):
        assert (await distributed.install(team)).status == 200
    sender = distributed.sender(T2)
    try:
        reply = await sender.event({**event, "event_ts": "1.0"}, team_id=T2)
    finally:
        await sender.close()
    assert reply.status == 200
    installations = distributed.store.installations
    uninstall = event["type"] == "app_uninstalled"

    async def deleted() -> bool:
        bot_gone = await installations.find_bot(Key(None, T2)) is None
        return bot_gone and (not uninstall or await installations.find(Key(None, T2)) is None)

    assert await eventually(deleted)  # the listener runs after the ack
    if not uninstall:
        assert await installations.find(Key(None, T2)) is not None  # the user's grant stays
    assert await installations.find_bot(Key(None, T3)) is not None


async def test_with_a_key_the_tokens_are_sealed_at_rest_and_still_used(
    fake: FakeSlack, clock: FakeClock, database_url: str
) -> None:
    key = new_key()
    async with serving(fake, clock, database_url, token_keys=(key,)) as distributed:
        assert (await distributed.install(T2)).status == 200
        stored_bot = await distributed.store.installations.find_bot(Key(None, T2))
        stored = await distributed.store.installations.find(Key(None, T2), user_id=ALICE)
        assert stored_bot is not None and is_sealed(stored_bot)
        assert stored is not None and is_sealed(stored)
        assert "xoxb-" not in json.dumps([stored_bot, stored])  # nothing readable at rest

        await thanks_from(distributed, T2)

        events = [e async for e in distributed.store.events.export(team_id=T2)]
        assert [(e.giver_id, e.receiver_id) for e in events] == [(BOB, ALICE)]
        token = Sealer((key,)).open(stored_bot)["bot_token"]
        assert {c.token for c in fake.calls_to("users.info")} == {token}


async def test_tokens_saved_before_the_key_stay_usable(
    fake: FakeSlack, clock: FakeClock, database_url: str
) -> None:
    async with serving(fake, clock, database_url) as before:
        assert (await before.install(T2)).status == 200
    async with serving(fake, clock, database_url, token_keys=(new_key(),)) as after:
        await thanks_from(after, T2)
        assert len([e async for e in after.store.events.export(team_id=T2)]) == 1


async def test_a_revoked_bot_token_is_never_used_again(distributed: Distributed) -> None:
    """Bolt finds a workspace's token in its latest installation before its bot row: deleting
    only the bot row on tokens_revoked kept the revoked token in use."""
    assert (await distributed.install(T2)).status == 200
    revoked = (await distributed.store.installations.find_bot(Key(None, T2)) or {})["bot_token"]
    sender = distributed.sender(T2)
    try:
        event = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}, "event_ts": "1.0"}
        assert (await sender.event(event, team_id=T2)).status == 200

        async def gone() -> bool:
            stored = await distributed.store.installations.find(Key(None, T2))
            return stored is not None and "bot_token" not in stored

        assert await eventually(gone)
        distributed.fake.calls.clear()
        reply = await sender.command(
            "/thanks",
            f"<@{BOB}> for it",
            user_id=ALICE,
            response_url=distributed.fake.response_url(),
        )
    finally:
        await sender.close()
    assert reply.status == 200
    told = await distributed.fake.wait_for("response_url")
    assert "install" in told[0].args["text"]  # asked to reinstall, as a team never installed
    assert all(call.token != revoked for call in distributed.fake.calls)
    assert [e async for e in distributed.store.events.export()] == []


async def test_the_public_install_page_cannot_grow_the_state_table(
    distributed: Distributed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every visit to /slack/install (no login) issues a state: old ones are dropped as new
    ones come, and an install with a recent state still works."""
    monkeypatch.setattr(oauth, "MAX_LIVE_STATES", 20)
    for _ in range(60):
        page = await distributed.http.get(f"{distributed.base}/slack/install")
        assert page.status == 200
    assert await distributed.store.installations.live_states() <= 20
    assert (await distributed.install(T2)).status == 200


async def test_expired_install_states_are_dropped_when_a_new_one_is_issued(
    store: Store,
) -> None:
    for n in range(5):
        await store.installations.issue_state(f"old{n}", expires_at=100, now=50, keep=1000)
    await store.installations.issue_state("new", expires_at=800, now=200, keep=1000)
    assert await store.installations.live_states() == 1
    assert await store.installations.consume_state("new", now=300)


async def test_an_uninstalled_workspace_is_erased_after_the_retention_period(
    distributed: Distributed, clock: FakeClock
) -> None:
    for team in (T2, T3):
        assert (await distributed.install(team)).status == 200
        await thanks_from(distributed, team)
    sender = distributed.sender(T2)
    try:
        assert (
            await sender.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id=T2)
        ).status == 200
    finally:
        await sender.close()
    retention = distributed.store.retention

    async def departed() -> bool:
        return T2 in await retention.departures()

    assert await eventually(departed)
    deps = build_deps(distributed.store, clock)
    clock.advance(RETENTION_AFTER_UNINSTALL - timedelta(days=1))
    assert await erase_departed(deps, clock()) == {}  # within the period: all kept
    assert len([e async for e in distributed.store.events.export(team_id=T2)]) == 1
    clock.advance(timedelta(days=2))
    erased = await erase_departed(deps, clock())
    assert erased[T2]["help_events"] == 1 and T3 not in erased
    assert await retention.held(T2) == {}
    assert len([e async for e in distributed.store.events.export(team_id=T3)]) == 1


async def test_reinstalling_within_the_period_keeps_everything(
    distributed: Distributed, clock: FakeClock
) -> None:
    assert (await distributed.install(T2)).status == 200
    await thanks_from(distributed, T2)
    sender = distributed.sender(T2)
    try:
        await sender.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id=T2)
    finally:
        await sender.close()
    assert await eventually(lambda: _departed(distributed, T2))
    assert (await distributed.install(T2)).status == 200  # back
    clock.advance(RETENTION_AFTER_UNINSTALL * 2)
    assert await erase_departed(build_deps(distributed.store, clock), clock()) == {}
    assert len([e async for e in distributed.store.events.export(team_id=T2)]) == 1


async def _departed(distributed: Distributed, team: str) -> bool:
    return team in await distributed.store.retention.departures()


async def digest_ready_workspaces(distributed: Distributed, clock: FakeClock) -> dict[str, str]:
    """T2 and T3 installed, each with a thanks this week and a digest channel open all week;
    their bot tokens."""
    tokens = {}
    every_hour = WorkspaceSettings(
        digest_channel="CDIGEST",
        nudge_weekdays=tuple(range(7)),
        nudge_start_hour=0,
        nudge_end_hour=24,
    )
    for team in (T2, T3):
        assert (await distributed.install(team)).status == 200
        await thanks_from(distributed, team)
        await distributed.store.preferences.save_workspace(team, every_hour, now=clock())
        bot = await distributed.store.installations.find_bot(Key(None, team))
        tokens[team] = (bot or {})["bot_token"]
    clock.advance(timedelta(minutes=15))  # the next quarter hour: the week's thanks are in
    return tokens


def digest_tokens(fake: FakeSlack) -> list[str]:
    posts = fake.calls_to("chat.postMessage")
    return sorted(str(c.token) for c in posts if c.args.get("channel") == "CDIGEST")


async def test_the_scheduled_sweep_speaks_for_each_workspace_with_its_own_token(
    fake: FakeSlack, clock: FakeClock, database_url: str
) -> None:
    """With OAuth the app's own client has no token: each workspace's digest (and nudges) go
    out with that workspace's installation token."""
    async with serving(fake, clock, database_url, scheduler=True) as distributed:
        tokens = await digest_ready_workspaces(distributed, clock)
        assert distributed.scheduler is not None
        job = distributed.scheduler.aps.get_job(SWEEP_JOB)
        await job.func()  # the scheduled sweep, as APScheduler runs it
    assert digest_tokens(fake) == sorted(tokens.values())


async def test_giveback_nudge_now_speaks_for_each_workspace_too(
    fake: FakeSlack, clock: FakeClock, database_url: str
) -> None:
    async with serving(fake, clock, database_url) as distributed:
        tokens = await digest_ready_workspaces(distributed, clock)
    settings = Settings(
        signing_secret="s",
        slack_api_url=fake.api_url,
        database=database_url,
        client_id=fake.oauth.client_id,
        client_secret=fake.oauth.client_secret,
    )
    report = io.StringIO()
    await sweep_now(settings, None, report, clock=clock)
    assert digest_tokens(fake) == sorted(tokens.values())
    assert report.getvalue().count("sent digest") == 2
