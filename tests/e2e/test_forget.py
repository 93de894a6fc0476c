"""Forget me forgets: after it, no table of either backend holds the person's id, their notes
or their DM channel, and nothing stored can derive who they were.

The dump reads every table the schema has (not a list kept here), so a table added later that
stores people is checked too: add its columns to storage/privacy.py, or this test fails.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.devtools.payloads import block_action, reaction
from bot.domain.nudges import NudgeKey
from bot.views.ids import FORGET_CONFIRM
from storage import Store
from storage.dialect import dialect_of
from tests.conftest import ALICE, BOB, CAROL, TEAM, Bot
from tests.support.favours import ask
from tests.support.samples import settled

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

HER_NOTE = "fixing my laptop at midnight"
HER_ASK = "a look at my design doc"


async def every_row(store: Store) -> dict[str, list[str]]:
    """Every row of every table in the schema, as text."""
    tables = [str(r[0]) for r in await store.db.fetchall(dialect_of(store.db).tables)]
    return {
        table: [
            " | ".join(str(v) for v in row)
            for row in await store.db.fetchall(f"SELECT * FROM {table}")
        ]
        for table in tables
    }


def holding(rows: dict[str, list[str]], needle: str) -> dict[str, list[str]]:
    found = {t: [r for r in rs if needle in r] for t, rs in rows.items()}
    return {t: rs for t, rs in found.items() if rs}


async def alice_everywhere(bot: Bot) -> str:
    """Alice leaves traces in every kind of table; return her DM channel with the bot."""
    await bot.thanks(f"<@{BOB}> for {HER_NOTE}")  # her note
    await bot.thanks(f"<@{CAROL}> for the review with <@{ALICE}>", user_id=BOB)  # names her
    await ask(bot, f"<@{BOB}> {HER_ASK}", ALICE)  # her open ask, DMed to Bob
    deploy = f"<@{ALICE}> could you help with the deploy, as <@{ALICE}|alice> did in May?"
    await ask(bot, deploy, CAROL)  # DMed to her, and names her in its text
    await bot.sender.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    await bot.sender.event(
        {"type": "app_mention", "user": ALICE, "channel": "C0001", "ts": "1700000000.000200",
         "text": f"<@UBOT> thanks <@{CAROL}> for the coffee"}
    )  # fmt: skip
    message = bot.fake.workspace.add_message("C0001", CAROL, "the runbook is updated")
    kwargs = {"user_id": ALICE, "emoji": "raised_hands", "item_user": CAROL, "ts": message["ts"]}
    await bot.sender.event(reaction("reaction_added", **kwargs))
    await bot.sender.event(reaction("reaction_removed", **kwargs))  # a tombstone names her
    await bot.sender.event(
        {"type": "message", "channel": "C0001", "channel_type": "channel", "user": ALICE,
         "text": f"thanks <@{BOB}> for the help", "ts": bot.fake.workspace.next_ts()}
    )  # fmt: skip
    dm = bot.fake.workspace.dm_channel(ALICE)
    await bot.store.dm_channels.remember(TEAM, ALICE, dm, now=bot.clock())
    key = NudgeKey(TEAM, ALICE, "giveback", "2026-01-05")
    assert await bot.store.nudges.claim(key, now=bot.clock(), lease=timedelta(minutes=5))
    await bot.store.nudges.mark_sent(key, channel_id=dm, message_ts="1.2", now=bot.clock())
    await settled()
    return dm


async def forget_alice(bot: Bot) -> str:
    """Alice asks to be forgotten and confirms; return what giveback told her."""
    assert (await bot.sender.command("/giveback", "forget me", user_id=ALICE)).status == 200
    url = bot.fake.response_url("forget")
    press = block_action(FORGET_CONFIRM, "me", user_id=ALICE, response_url=url)
    assert (await bot.sender.interaction(press)).status == 200
    await settled()
    [told] = [c for c in bot.fake.calls_to("response_url") if c.url and c.url in url]
    return str(told.args["text"])


async def test_after_forget_no_table_holds_her_id_notes_or_dm_channel(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    dm = await alice_everywhere(bot)
    before = await every_row(bot.store)
    for trace in (ALICE, HER_NOTE, HER_ASK, dm):
        assert holding(before, trace), f"the scenario left no {trace} to forget"
    since = bot.clock() - timedelta(days=365)
    counts = {u: await bot.store.activity.balance(TEAM, u, since=since) for u in (BOB, CAROL)}

    told = await forget_alice(bot)

    after = await every_row(bot.store)
    for trace in (ALICE, HER_NOTE, HER_ASK, dm):
        assert holding(after, trace) == {}, trace
    assert any("the deploy, as @… did in May?" in r for r in after["asks"]), after["asks"]
    assert any("the review with @…" in r for r in after["help_events"])
    for user, balance in counts.items():  # everyone else keeps their counts
        assert await bot.store.activity.balance(TEAM, user, since=since) == balance
    assert "no longer knows who you were" in told and "stay" in told and "Slack" in told
    # Her open ask is withdrawn, and its copy in the channel says so.
    [her_ask] = [r for r in after["asks"] if "withdrawn" in r]
    assert her_ask
    updates = [c.args.get("text", "") for c in bot.fake.calls_to("chat.update")]
    assert any("withdrew this ask" in text for text in updates)
    # The log never named anyone at INFO or above, before or after.
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            for person in (ALICE, BOB, CAROL):
                assert person not in record.getMessage(), record.getMessage()


async def test_nothing_stored_derives_her_token_from_her_id(bot: Bot) -> None:
    """The token used to be an HMAC of the id with a salt kept in the same database: anyone
    with a copy hashed the member list and found everyone forgotten. Now it is random, and no
    table keeps a secret to hash with."""
    await bot.thanks(f"<@{BOB}> for {HER_NOTE}")
    await forget_alice(bot)
    after = await every_row(bot.store)
    assert "anon_salts" not in after
    [event] = [e async for e in bot.store.events.export(team_id=TEAM)]
    token = event.receiver_id
    assert token.startswith("anon-")
    assert holding(after, token)  # the token is where she was ...
    salts = [r for rows in after.values() for r in rows if len(r) >= 32 and r.isalnum()]
    assert salts == []  # ... and no secret stored beside it could rebuild it


async def test_the_sqlite_files_keep_no_copy_of_what_was_erased(bot: Bot) -> None:
    """Erased text left in SQLite's free pages or its write-ahead log can be read back from
    the files; secure_delete zeroes it and forget checkpoints the log."""
    if bot.backend != "sqlite":
        pytest.skip("PostgreSQL keeps old row versions until vacuum (README: what it cannot)")
    await bot.thanks(f"<@{BOB}> for {HER_NOTE}")
    await ask(bot, f"<@{BOB}> {HER_ASK}", ALICE)
    await settled()
    database = Path(bot.store.path)
    await forget_alice(bot)
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            raw = path.read_bytes()
            for trace in (HER_NOTE.encode(), HER_ASK.encode(), ALICE.encode()):
                assert trace not in raw, (path.name, trace)
