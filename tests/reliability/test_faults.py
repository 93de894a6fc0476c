"""Faults: Slack answering 500, 429 or nothing at all, a busy database. Nothing half-done."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import timedelta

from bot.devtools.fakeslack import FakeSlack
from bot.domain.nudges import NudgeKey
from bot.jobs.sweep import run_sweep
from storage import Store
from tests.conftest import ALICE, BOB, CAROL, TEAM, Bot, FakeClock
from tests.support.nudges import Env, asking_without_giving, make_env, open_ask, welcomed


async def test_an_announcement_that_fails_at_once_does_not_undo_the_ack(bot: Bot) -> None:
    # Bolt drops an ack when the listener raises within ~10 ms of it: Slack saw a 404.
    for url in ("", "http://127.0.0.1:1/refused"):
        reply = await bot.sender.command(
            "/thanks", f"<@{BOB}> for the help", user_id=ALICE, response_url=url
        )
        assert (reply.status, reply.text) == (200, "")
    assert len(await bot.events()) == 2


# ---- users.info: safe to retry (a read) --------------------------------------------------


async def test_users_info_failing_once_with_500_is_retried_and_the_thanks_recorded(
    bot: Bot,
) -> None:
    bot.fake.fail("users.info", status=500, times=1)
    status, ack, _ = await bot.thanks(f"<@{CAROL}> for the help")
    assert (status, ack) == (200, None)
    assert [e.giver_id for e in await bot.events()] == [CAROL]


async def test_users_info_rate_limited_says_try_again_rather_than_miss_the_ack(
    bot: Bot,
) -> None:
    # Waiting out Retry-After (plus slack_sdk's jitter) could overrun Slack's 3-second ack.
    await bot.thanks(f"<@{BOB}> for warming the cache")  # Alice's own profile is cached now
    bot.fake.fail("users.info", retry_after=2, times=1)
    status, ack, _ = await bot.thanks(f"<@{CAROL}> for the help")
    assert status == 200 and "try again" in ack["text"]
    assert [e.giver_id for e in await bot.events()] == [BOB]
    status, ack, _ = await bot.thanks(f"<@{CAROL}> for the help")  # the person tries again
    assert (status, ack) == (200, None)
    assert [e.giver_id for e in await bot.events()] == [BOB, CAROL]


async def test_users_info_hanging_gets_a_try_again_in_time_and_stores_nothing(bot: Bot) -> None:
    bot.fake.fail("users.info", hang=30, times=10)
    status, ack, _ = await bot.thanks(f"<@{CAROL}> for the help")
    assert status == 200 and "try again" in ack["text"]
    assert await bot.events() == []


async def test_two_people_one_lookup_failing_records_neither(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for warming the cache")  # Bob known, Carol not yet
    bot.fake.fail("users.info", status=500, times=20)
    _, ack, _ = await bot.thanks(f"<@{BOB}> <@{CAROL}> for the release")
    assert "try again" in ack["text"]
    assert [e.note for e in await bot.events()] == ["warming the cache"]  # all or nothing


# ---- response_url: the thanks is recorded before the ack, the announcement follows ----------


async def test_an_announcement_failing_once_with_500_or_429_is_retried(bot: Bot) -> None:
    bot.fake.fail("response_url", status=500, times=1)
    await bot.thanks(f"<@{BOB}> for the review")
    bot.fake.fail("response_url", retry_after=1, times=1)
    await bot.thanks(f"<@{CAROL}> for the deploy")
    calls = await bot.fake.wait_for("response_url", count=4)
    delivered = [c.args["text"] for c in calls if not c.failed]
    assert len(calls) == 4 and len(delivered) == 2
    assert any(BOB in text for text in delivered) and any(CAROL in text for text in delivered)
    assert len(await bot.events()) == 2


async def test_an_announcement_that_keeps_failing_leaves_the_thanks_recorded_once(
    bot: Bot,
) -> None:
    bot.fake.fail("response_url", status=500, times=10)
    status, ack, _ = await bot.thanks(f"<@{BOB}> for the review")
    assert (status, ack) == (200, None)
    await bot.fake.wait_for("response_url", count=3)  # first try and two retries
    assert [e.giver_id for e in await bot.events()] == [BOB]
    # Then through the Web API instead: the channel still sees it, once.
    [post] = await bot.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "C0001" and f"<@{BOB}>" in post.args["text"]


async def test_a_reply_to_an_expired_response_url_reaches_the_person_another_way(
    bot: Bot,
) -> None:
    await bot.thanks(f"<@{BOB}> for the review")
    await bot.fake.wait_for("response_url")
    bot.fake.fail("response_url", status=404)  # URLs expire after 30 minutes
    reply = await bot.sender.command(
        "/giveback", "top", user_id=CAROL, response_url=bot.fake.response_url()
    )
    assert reply.status == 200
    [shown] = await bot.fake.wait_for("chat.postEphemeral")
    assert (shown.args["channel"], shown.args["user"]) == ("C0001", CAROL)
    assert f"1. <@{BOB}> helped 1 colleague" in str(shown.args["blocks"])


# ---- chat.postMessage (the thread reply to a mention) ---------------------------------------


def mention(ts: str) -> dict:
    text = f"<@UBOT> thanks <@{BOB}> for pairing"
    return {"type": "app_mention", "user": ALICE, "text": text, "ts": ts, "channel": "C0001"}


async def test_a_thread_reply_rate_limited_or_failing_once_is_posted_once(bot: Bot) -> None:
    bot.fake.fail("chat.postMessage", retry_after=1, times=1)
    await bot.sender.event(mention("1700000000.000100"))
    bot.fake.fail("chat.postMessage", status=500, times=1)
    await bot.sender.event(mention("1700000000.000200"))
    await bot.fake.wait_for("chat.postMessage", count=4)
    await asyncio.sleep(0.2)
    replies = bot.fake.messages["C0001"]
    assert sorted(m["thread_ts"] for m in replies) == ["1700000000.000100", "1700000000.000200"]
    assert len(await bot.events()) == 2


# ---- the database -----------------------------------------------------------------------


async def test_a_database_briefly_locked_by_another_writer_delays_but_loses_nothing(
    bot: Bot,
) -> None:
    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        conn = sqlite3.connect(bot.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(5)
        conn.execute("COMMIT")
        conn.close()

    holder = asyncio.create_task(asyncio.to_thread(hold_the_write_lock))
    await asyncio.to_thread(locked.wait, 5)
    thanks = asyncio.create_task(bot.thanks(f"<@{BOB}> for waiting"))
    await asyncio.sleep(0.5)
    assert not thanks.done()  # waiting on the lock (busy_timeout), not failing
    release.set()
    status, ack, _ = await thanks
    await holder
    assert (status, ack) == (200, None)
    assert [e.note for e in await bot.events()] == ["waiting"]


# ---- Scheduled posts: a write, never retried blindly -------------------------------------


async def alice_is_due(env: Env) -> NudgeKey:
    """Alice asked six favours and gave none, and Bob's ask is open: her Monday-morning
    invitation is due now (everyone else was welcomed already)."""
    await asking_without_giving(env.store, ALICE, at=env.clock(), helper=CAROL)
    await open_ask(env.store, BOB, "a second pair of eyes", at=env.clock())
    await welcomed(env.store, BOB, CAROL, at=env.clock())
    return NudgeKey(TEAM, ALICE, "giveback", env.clock().date().isoformat())


def nudges_to(env: Env, user: str) -> list[dict]:
    return [m for m in env.dms(user) if (m.get("metadata") or {}).get("event_type")]


async def test_a_nudge_whose_answer_is_lost_on_the_wire_is_never_posted_twice(
    store: Store, fake: FakeSlack, clock: FakeClock
) -> None:
    env = make_env(store, fake, clock)  # the production client, with its retry handlers
    key = await alice_is_due(env)
    fake.fail("chat.postMessage", drop=True)  # posted, then the connection drops

    first = await run_sweep(env.deps, env.client, clock())
    assert first.outcomes()[key] == "failed"  # outcome unknown: not re-posted on the spot
    assert len(nudges_to(env, ALICE)) == 1

    assert (await run_sweep(env.deps, env.client, clock())).outcomes()[key] == "taken"
    clock.advance(timedelta(minutes=15))
    assert (await run_sweep(env.deps, env.client, clock())).outcomes()[key] == "recovered"
    assert len(nudges_to(env, ALICE)) == 1
    record = await store.nudges.get(key)
    assert record is not None and record.message_ts == nudges_to(env, ALICE)[0]["ts"]


async def test_a_nudge_refused_with_a_500_is_looked_for_then_sent_once(
    store: Store, fake: FakeSlack, clock: FakeClock
) -> None:
    """Slack's fatal_error "may have succeeded in part": the next try looks first."""
    env = make_env(store, fake, clock)
    key = await alice_is_due(env)
    fake.fail("chat.postMessage", status=500)

    assert (await run_sweep(env.deps, env.client, clock())).outcomes()[key] == "failed"
    assert nudges_to(env, ALICE) == []
    again = await run_sweep(env.deps, env.client, clock())  # released: no lease to wait out
    assert again.outcomes()[key] == "sent"
    assert [c.method for c in fake.calls if c.method.startswith(("chat.", "conversations.h"))] == [
        "chat.postMessage",
        "conversations.history",
        "chat.postMessage",
    ]
    assert len(nudges_to(env, ALICE)) == 1
