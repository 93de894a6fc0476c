"""Faults: Slack answering 500, 429 or nothing at all, a busy database. Nothing half-done."""

from __future__ import annotations

import asyncio
import sqlite3

from tests.conftest import ALICE, BOB, CAROL, DAVE, Bot


async def test_an_announcement_that_fails_at_once_does_not_undo_the_ack(bot: Bot) -> None:
    # Bolt drops an ack when the listener raises within ~10 ms of it: Slack saw a 404.
    for url in ("", "http://127.0.0.1:1/refused"):
        reply = await bot.sender.command(
            "/thanks", f"<@{BOB}> for the help", user_id=ALICE, response_url=url
        )
        assert (reply.status, reply.text) == (200, "")
    assert len(await bot.events()) == 2
