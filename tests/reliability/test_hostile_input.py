"""What an unauthenticated stranger can make the bot write to its log: one short line a minute.

Bolt checks signatures after parsing the body and logs the raw body of every request whose
signature fails (at INFO): a megabyte of log per request, lines forged with a newline, and a
traceback for a body nested 100,000 deep or a timestamp header that is not a number. Every
case here goes to the real app over HTTP.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import aiohttp
import pytest

from tests.conftest import ALICE, BOB, Bot

FORM = "application/x-www-form-urlencoded"
FORGED_LINE = "\n2026-01-01 00:00:00,000 ERROR giveback settings saved team=T0001 FORGED"


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged, as the default format would write it (message and traceback)."""
    return "\n".join(
        f"{r.levelname} {r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.exc_text or "Traceback" in r.getMessage()]


async def test_a_flood_of_unsigned_megabytes_costs_one_short_line(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    megabyte = "payload=" + "x" * (1_000_000 - 8)
    statuses = [
        (await bot.sender.post(megabyte, FORM, signature="v0=" + "0" * 64)).status
        for _ in range(20)
    ]
    assert statuses == [401] * 20
    log = logged(caplog)
    assert len(log) < 300, log  # 20 MB sent; a line, not 20 MB, written
    assert log.count("\n") == 0 and "refused 1 request(s) without a valid Slack signature" in log
    assert await bot.events() == [] and bot.fake.calls == []


async def test_a_newline_in_an_unsigned_body_forges_no_line(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = urlencode({"command": "/thanks", "text": "hi"}) + FORGED_LINE
    reply = await bot.sender.post(body, FORM, signature="v0=" + "1" * 64)
    assert reply.status == 401
    assert "FORGED" not in logged(caplog)


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
async def test_json_nested_100000_deep_is_refused_without_a_traceback(
    bot: Bot, caplog: pytest.LogCaptureFixture, signed: bool
) -> None:
    caplog.set_level(logging.DEBUG)
    deep = '{"type": "event_callback", "event": ' + "[" * 100_000 + "]" * 100_000 + "}"
    reply = await (
        bot.sender.post(deep, "application/json")
        if signed
        else bot.sender.post(deep, "application/json", signature="v0=" + "2" * 64)
    )
    assert reply.status == (400 if signed else 401)
    assert "Traceback" not in reply.text
    assert tracebacks(caplog) == []
    assert len(logged(caplog)) < 300


@pytest.mark.parametrize("stamp", ["abc", "", "-5", "1e9", "9" * 40, "１２３"])
async def test_a_timestamp_that_is_not_a_number_is_refused_without_a_traceback(
    bot: Bot, caplog: pytest.LogCaptureFixture, stamp: str
) -> None:
    caplog.set_level(logging.DEBUG)
    body = urlencode({"command": "/thanks", "text": f"<@{BOB}> for it", "user_id": ALICE})
    signature = bot.sender._verifier.generate_signature(timestamp=stamp, body=body)
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            bot.sender.url,
            data=body,
            headers={
                "Content-Type": FORM,
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signature or "",
            },
        ) as response,
    ):
        status, text = response.status, await response.text()
    assert status == 401 and "Traceback" not in text
    assert tracebacks(caplog) == []
    assert await bot.events() == []


async def test_a_signed_request_is_still_served_after_the_refusals(bot: Bot) -> None:
    bad = await bot.sender.post("{}", "application/json", timestamp=int(time.time()) - 3600)
    assert bad.status == 401
    status, _, _ = await bot.thanks(f"<@{BOB}> for the review")
    assert status == 200
    assert len(await bot.events()) == 1
