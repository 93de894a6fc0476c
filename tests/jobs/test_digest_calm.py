"""The weekly digest: not posted when the week had nothing in it, and in its channel's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.devtools.fakeslack import FakeSlack
from bot.jobs.sweep import dry_run, run_sweep
from storage import Store
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, FakeClock
from tests.jobs.test_nudge_asks import ask, configure
from tests.support.nudges import Env, ListAsks, helped, make_env, welcomed

NOW = datetime(
    2026, 11, 23, 15, 0, tzinfo=UTC
)  # a Monday, inside 10:00-17:00 wherever the digest is


@pytest.fixture
def env(store: Store, fake: FakeSlack, clock: FakeClock) -> Env:
    return make_env(store, fake, clock)


async def test_a_week_with_nothing_in_it_posts_no_digest(env: Env) -> None:
    await configure(env.store, digest_channel="CDIGEST", nudge_end_hour=17)
    await helped(env.store, BOB, ALICE, 2, at=NOW - timedelta(days=30))  # long ago only
    report = await dry_run(env.deps, NOW)
    assert not any("digest" in line for line in report.lines(dry_run=True))
    await run_sweep(env.deps, env.client, NOW)
    assert "CDIGEST" not in env.fake.messages


async def test_an_open_ask_alone_is_worth_a_digest(env: Env) -> None:
    await configure(env.store, digest_channel="CDIGEST", nudge_end_hour=17)
    await run_sweep(env.deps, env.client, NOW, asks=ListAsks([ask("waiting", ALICE, days=2)]))
    [digest] = env.fake.messages["CDIGEST"]
    assert "Could someone waiting?" in str(digest["blocks"])


async def test_the_digest_speaks_its_channels_language(env: Env) -> None:
    await configure(env.store, digest_channel="CDIGEST", nudge_end_hour=17)  # posts in English
    await env.store.channels.set_language(TEAM, "CDIGEST", "ja", now=NOW)
    await helped(env.store, BOB, ALICE, 1, at=NOW)
    # Welcomed already: nobody is looked up on Slack, so the digest keeps UTC's hours.
    await welcomed(env.store, ALICE, BOB, CAROL, DAVE, at=NOW)
    await run_sweep(env.deps, env.client, NOW)
    [digest] = env.fake.messages["CDIGEST"]
    assert digest["text"].startswith("今週の giveback")
    assert "This week in giveback" not in str(digest["blocks"])
