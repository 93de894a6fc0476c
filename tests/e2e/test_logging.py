"""Operations: one log line per event, and secrets never logged."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot import redaction
from bot.devtools.fakeslack import FakeSlack
from storage.installations import Key
from tests.conftest import BOB, SECRET, Bot, FakeClock
from tests.support.logs import log_output
from tests.support.oauth import serving

__all__ = ["log_output"]  # the fixture


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


async def test_at_debug_no_token_or_secret_reaches_the_log(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path, log_output: io.StringIO
) -> None:
    """slack_sdk logs every Web API answer at DEBUG, oauth.v2.access's bot token included;
    Bolt logs the OAuth code and state. None of it is written."""
    redaction.remember(SECRET, fake.oauth.client_secret)
    async with serving(fake, clock, str(tmp_path / "oauth.db")) as distributed:
        assert (await distributed.install("T0002")).status == 200
        bot = await distributed.store.installations.find_bot(Key(None, "T0002"))
        assert bot is not None
        sender = distributed.sender("T0002")
        try:
            reply = await sender.command(
                "/thanks", f"<@{BOB}> for the review", user_id="UALICE", response_url=""
            )
        finally:
            await sender.close()
        assert reply.status == 200
    written = log_output.getvalue()
    assert "oauth.v2.access" in written and "Received the following response" in written
    for secret in (bot["bot_token"], SECRET, fake.oauth.client_secret, "code-1"):
        assert secret not in written, secret
