"""Operations: one log line per event, and secrets never logged."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import BOB, SECRET, Bot


async def test_a_thanks_logs_one_line_and_no_secret(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await bot.thanks(f"<@{BOB}> for the review")
    await bot.fake.wait_for("response_url")
    bot.fake.fail("users.info", status=500, times=10)
    await bot.thanks("<@UNEWPERSON> for the help")
    everything = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "xoxb-test-token" not in everything
    assert SECRET not in everything
    recorded = [
        r
        for r in caplog.records
        if r.name.startswith("handlers") and "thanks recorded" in r.getMessage()
    ]
    assert len(recorded) == 1 and recorded[0].levelno == logging.INFO
