"""/thanks, @giveback mentions and /giveback through the real Bolt HTTP endpoint."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import ALICE, BOB, CAROL, HELPER_BOT, TEAM, Bot
from tests.support.favours import posts_to, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def test_thanks_is_recorded_then_announced_in_channel(bot: Bot) -> None:
    status, _ack, response_url = await bot.thanks(f"<@{BOB}|bob> <@{CAROL}> for the review")

    assert status == 200
    events = await bot.events()
    assert [(e.giver_id, e.receiver_id, e.note, e.source) for e in events] == [
        (BOB, ALICE, "the review", "command"),
        (CAROL, ALICE, "the review", "command"),
    ]
    assert all(e.channel_id == "C0001" and e.team_id == TEAM for e in events)
    [announcement] = await bot.fake.wait_for("response_url")
    assert announcement.url and announcement.url in response_url
    assert announcement.args["response_type"] == "in_channel"
    assert f"<@{BOB}>" in announcement.args["text"] and f"<@{CAROL}>" in announcement.args["text"]
    assert "the review" in announcement.args["text"]


async def test_thanks_without_anyone_explains_and_stores_nothing(bot: Bot) -> None:
    status, ack, _ = await bot.thanks("for everything")
    assert status == 200
    assert ack["response_type"] == "ephemeral"
    assert "/thanks @bob" in ack["text"]
    assert await bot.events() == []


async def test_thanks_with_a_typed_at_name_says_how_to_mention(bot: Bot) -> None:
    _, ack, _ = await bot.thanks("@bob for the review")
    assert "pick the person" in ack["text"]
    assert await bot.events() == []


async def test_self_thanks_is_refused_kindly(bot: Bot) -> None:
    _, ack, _ = await bot.thanks(f"<@{ALICE}> for my own hard work")
    assert "yourself" in ack["text"]
    assert await bot.events() == []


async def test_thanks_to_a_bot_or_slackbot_is_refused(bot: Bot) -> None:
    _, ack, _ = await bot.thanks(f"<@{HELPER_BOT}> <@USLACKBOT> for deploying")
    assert "Bots and apps" in ack["text"]
    assert await bot.events() == []
    assert bot.fake.calls_to("response_url") == []


async def test_mixed_thanks_records_the_people_and_explains_the_rest(bot: Bot) -> None:
    _, _ack, _ = await bot.thanks(f"<@{BOB}> <@{HELPER_BOT}> <@{ALICE}> for the fix")
    assert [e.giver_id for e in await bot.events()] == [BOB]
    calls = await bot.fake.wait_for("response_url", count=2)
    public, private = calls
    assert public.args["response_type"] == "in_channel"
    assert private.args["response_type"] == "ephemeral"
    assert "yourself" in private.args["text"] and "Bots" in private.args["text"]


async def test_long_note_is_capped_and_the_invoker_told(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for " + "a very long story " * 40)
    [event] = await bot.events()
    assert len(event.note) == 300 and event.note.endswith("…")
    calls = await bot.fake.wait_for("response_url", count=2)
    assert "first 300 characters" in calls[1].args["text"]


async def test_a_note_cannot_ping_the_whole_channel(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for the help <!channel> <!subteam^S123|@devs>")
    [event] = await bot.events()
    assert "<!" not in event.note
    [announcement] = await bot.fake.wait_for("response_url")
    assert "<!" not in json.dumps(announcement.args)


async def test_users_info_failure_stores_nothing_and_says_try_again(bot: Bot) -> None:
    bot.fake.fail("users.info", status=500, times=10)
    _, ack, _ = await bot.thanks(f"<@{CAROL}> for the help")
    assert "try again" in ack["text"]
    assert await bot.events() == []


async def test_forged_signature_is_refused_and_nothing_stored(bot: Bot) -> None:
    body = (
        "command=%2Fthanks&text=%3C%40UBOB%3E+for+it&user_id=UALICE&team_id=T0001&trigger_id=1.2.3"
    )
    reply = await bot.sender.post(
        body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
    )
    assert reply.status == 401
    assert await bot.events() == []


async def test_stale_timestamp_is_refused_and_nothing_stored(bot: Bot) -> None:
    body = (
        "command=%2Fthanks&text=%3C%40UBOB%3E+for+it&user_id=UALICE&team_id=T0001&trigger_id=1.2.3"
    )
    reply = await bot.sender.post(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 600
    )
    assert reply.status == 401
    assert await bot.events() == []


def mention_event(text: str, user: str = ALICE, ts: str = "1700000000.000100") -> dict:
    return {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": "C0001",
        "event_ts": ts,
    }


async def test_mention_thanks_recorded_and_answered_in_thread(bot: Bot) -> None:
    reply = await bot.sender.event(mention_event(f"<@UBOT> thanks <@{BOB}> for pairing"))
    assert reply.status == 200
    # Recorded before the 200 went out: no waiting needed.
    [event] = await bot.events()
    assert (event.giver_id, event.receiver_id, event.source, event.note) == (
        BOB,
        ALICE,
        "mention",
        "pairing",
    )
    await bot.fake.wait_for("chat.postMessage")
    [post] = posts_to(bot, "C0001")
    assert post.args["thread_ts"] == "1700000000.000100"
    assert f"<@{BOB}>" in post.args["text"]


async def test_mention_redelivered_three_times_counts_once(bot: Bot) -> None:
    event = mention_event(f"<@UBOT> thanks <@{BOB}> for pairing")
    replies = [await bot.sender.event(event, event_id="Ev0RETRY")]
    for retry in (1, 2, 3):
        replies.append(await bot.sender.event(event, event_id="Ev0RETRY", retry_num=retry))
    assert [r.status for r in replies] == [200, 200, 200, 200]
    assert len(await bot.events()) == 1
    await bot.fake.wait_for("chat.postMessage")
    ledger = await bot.store.events.ledger(
        team_id=TEAM, user_id=BOB, since=bot.clock() - __import__("datetime").timedelta(days=90)
    )
    assert ledger.given_total == 1
    await settle(bot)
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_mention_that_is_not_thanks_gets_help_privately(bot: Bot) -> None:
    await bot.sender.event(mention_event("<@UBOT> what can you do?"))
    [hint] = await bot.fake.wait_for("chat.postEphemeral")
    assert hint.args["user"] == ALICE and "@giveback thanks" in hint.args["text"]
    assert await bot.events() == []


async def test_mention_thanking_a_bot_is_explained_privately(bot: Bot) -> None:
    await bot.sender.event(mention_event(f"<@UBOT> thanks <@{HELPER_BOT}>"))
    [hint] = await bot.fake.wait_for("chat.postEphemeral")
    assert "Bots" in hint.args["text"]
    assert await bot.events() == []


async def test_giveback_shows_the_invokers_ledger(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for the review")
    await bot.thanks(f"<@{BOB}> for the deploy")
    await bot.thanks(f"<@{ALICE}> for lunch", user_id=CAROL)
    reply = await bot.sender.command("/giveback", "", user_id=ALICE)
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    rendered = json.dumps(body["blocks"], ensure_ascii=False)
    # What she did, and who was there for her: deeds, not a balance.
    assert "You helped 1 colleague in the last 90 days (once)" in rendered  # Carol, at lunch
    assert "1 colleague helped you in the last 90 days (twice)" in rendered  # Bob
    assert f"<@{BOB}> (twice)" in rendered and f"<@{CAROL}> (once)" in rendered
    assert "ledger" not in rendered.lower()


async def test_giveback_for_a_newcomer_explains_what_to_do(bot: Bot) -> None:
    body = (await bot.sender.command("/giveback", "", user_id=CAROL)).json()
    assert "Nothing recorded yet" in json.dumps(body["blocks"])


async def test_giveback_help_lists_every_command(bot: Bot) -> None:
    body = (await bot.sender.command("/giveback", "help", user_id=ALICE)).json()
    rendered = json.dumps(body["blocks"], ensure_ascii=False)
    for example in (
        "/thanks @bob",
        "@giveback thanks",
        "/giveback`",
        "/giveback help",
        "/ask @bob",
        "/giveback asks",
        "/giveback network",
        "/giveback top",
        "/giveback forget me",
        "/giveback nudges off",
        "/giveback config",
    ):
        assert example in rendered


async def test_unknown_subcommand_gets_help_not_silence(bot: Bot) -> None:
    body = (await bot.sender.command("/giveback", "frobnicate now", user_id=ALICE)).json()
    rendered = json.dumps(body["blocks"], ensure_ascii=False)
    assert "frobnicate" in rendered and "/thanks @bob" in rendered


async def test_japanese_locale_gets_japanese_replies(bot: Bot) -> None:
    _, ack, _ = await bot.thanks("for everything", user_id=BOB)
    assert "メンション" in ack["text"]


async def test_a_failure_inside_a_listener_reaches_the_user_as_a_kind_message(bot: Bot) -> None:
    import sqlite3

    if bot.backend != "sqlite":
        pytest.skip("breaks the schema through the SQLite file")

    conn = sqlite3.connect(bot.database)
    conn.execute("ALTER TABLE help_events RENAME TO help_events_gone")
    conn.commit()
    conn.close()
    reply = await bot.sender.command("/giveback", "", user_id=ALICE)
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert "went wrong on my side" in body["text"] and "Traceback" not in reply.text


async def test_an_announcement_the_response_url_refuses_is_posted_in_the_channel(
    bot: Bot,
) -> None:
    bot.fake.fail("response_url", status=404)  # expired: Slack's URLs last 30 minutes

    status, _ack, _ = await bot.thanks(f"<@{BOB}> for the review")

    assert status == 200 and len(await bot.events()) == 1
    await bot.fake.wait_for("chat.postMessage")
    [post] = posts_to(bot, "C0001")
    assert "the review" in post.args["text"]


async def test_when_neither_url_nor_channel_takes_it_the_people_are_told(bot: Bot) -> None:
    bot.fake.fail("response_url", status=404)
    bot.fake.fail("chat.postMessage", error="not_in_channel")

    await bot.thanks(f"<@{BOB}> for the review")

    [confirmation] = await bot.fake.wait_for("chat.postEphemeral")
    assert confirmation.args["user"] == ALICE
    assert confirmation.args["text"].startswith("Recorded:")
    posts = await bot.fake.wait_for("chat.postMessage", count=2)  # the refused one, the DM
    assert posts[1].args["channel"] == BOB and "the review" in posts[1].args["text"]
