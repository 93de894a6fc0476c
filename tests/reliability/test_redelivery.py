"""Redelivery: every request replayed three times is counted once and answered once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.conftest import ALICE, BOB, CAROL, TEAM, Bot


def mention(text: str, ts: str = "1700000000.000200") -> dict:
    return {
        "type": "app_mention",
        "user": ALICE,
        "text": text,
        "ts": ts,
        "channel": "C0001",
        "event_ts": ts,
    }


async def given_total(bot: Bot, user: str) -> int:
    since = bot.clock() - timedelta(days=90)
    return (await bot.store.events.ledger(team_id=TEAM, user_id=user, since=since)).given_total


async def test_a_thanks_command_replayed_three_times_is_recorded_and_announced_once(
    bot: Bot,
) -> None:
    url = bot.fake.response_url()
    replies = [
        await bot.sender.command(
            "/thanks",
            f"<@{BOB}> <@{CAROL}> for the release",
            user_id=ALICE,
            trigger_id="42.1700000000.abc",
            response_url=url,
            headers=None if attempt == 0 else {"X-Slack-Retry-Num": str(attempt)},
        )
        for attempt in range(4)
    ]
    assert [r.status for r in replies] == [200] * 4
    assert [(e.giver_id, e.receiver_id) for e in await bot.events()] == [
        (BOB, ALICE),
        (CAROL, ALICE),
    ]
    # The replays are told it is already recorded, privately; the channel hears it once.
    assert all("already recorded" in r.json()["text"] for r in replies[1:])
    await bot.fake.wait_for("response_url")
    await asyncio.sleep(0.2)  # give a wrongly repeated announcement time to arrive
    assert len(bot.fake.calls_to("response_url")) == 1


async def test_a_mention_retried_three_times_with_retry_headers_counts_once(bot: Bot) -> None:
    event = mention(f"<@UBOT> thanks <@{BOB}> for pairing")
    first = await bot.sender.event(event, event_id="Ev0REDELIVER")
    retries = [
        await bot.sender.event(event, event_id="Ev0REDELIVER", retry_num=n) for n in (1, 2, 3)
    ]
    assert [r.status for r in (first, *retries)] == [200] * 4
    assert await given_total(bot, BOB) == 1
    await bot.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.2)
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_a_mention_delivered_three_times_at_once_counts_once(bot: Bot) -> None:
    event = mention(f"<@UBOT> thanks <@{CAROL}> for the fix", ts="1700000000.000300")
    replies = await asyncio.gather(
        *(bot.sender.event(event, event_id="Ev0RACE", retry_num=n or None) for n in range(3))
    )
    assert [r.status for r in replies] == [200] * 3
    assert await given_total(bot, CAROL) == 1
    await bot.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.2)
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_the_ledger_command_replayed_answers_the_same_and_writes_nothing(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for the review")
    bodies = [
        (await bot.sender.command("/giveback", "", user_id=ALICE, trigger_id="7.7.seven")).json()
        for _ in range(4)
    ]
    assert all(body == bodies[0] for body in bodies)
    assert len(await bot.events()) == 1
