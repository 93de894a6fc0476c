"""Shared surfaces speak the channel's language; private ones the reader's.

The channel has no locale (Slack's ``users.info`` locale is per person), so channel posts, thread
replies, ask posts with their buttons and the digest follow the workspace's setting, or a
channel's own, set by an admin with ``/giveback language``. What people write is never
rewrapped in another language.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.devtools.payloads import reaction
from tests.conftest import ALICE, BOB, CAROL, DAVE, Bot
from tests.support.favours import ask, configure, posts_to, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def language(bot: Bot, args: str, user: str = DAVE, channel: str = "C0002") -> str:
    """``/giveback language …`` typed in ``channel``; the private answer."""
    reply = await bot.sender.command(
        "/giveback", f"language {args}".strip(), user_id=user, channel_id=channel
    )
    assert reply.status == 200
    body: dict[str, Any] = reply.json()
    assert body["response_type"] == "ephemeral"
    return str(body["text"])


def announcements(bot: Bot) -> list[str]:
    return [
        c.args["text"]
        for c in bot.fake.calls_to("response_url")
        if c.args.get("response_type") == "in_channel"
    ]


async def test_a_japanese_speakers_thanks_reads_english_in_an_english_workspace(bot: Bot) -> None:
    # Bob's Slack is in Japanese; the workspace posts in English (the default).
    await bot.thanks(f"<@{CAROL}> for 設計レビュー", user_id=BOB)
    await settle(bot)
    [text] = announcements(bot)
    assert text == f":raised_hands: <@{BOB}> thanked <@{CAROL}>: 設計レビュー"
    # What only Bob sees stays in his language.
    reply = await bot.sender.command("/giveback", "", user_id=BOB)
    assert "あなたの giveback" in json.dumps(reply.json(), ensure_ascii=False)


async def test_a_japanese_workspaces_channel_reads_japanese_whoever_thanks(bot: Bot) -> None:
    await configure(bot, language="ja")
    await bot.thanks(f"<@{CAROL}> for the review")  # Alice's Slack is in English
    await settle(bot)
    [text] = announcements(bot)
    assert text == (
        f":raised_hands: <@{ALICE}> さんが <@{CAROL}> さんにお礼を伝えました: the review"
    )


async def test_an_admin_gives_one_channel_its_own_language(bot: Bot) -> None:
    follows = await language(bot, "")
    assert "English, the workspace's language" in follows
    refused = await language(bot, "ja", user=ALICE)  # not an admin
    assert refused == "Only workspace admins and owners can change giveback's settings."
    done = await language(bot, "ja")
    assert "giveback posts in this channel in Japanese from now on" in done
    assert "Japanese (chosen for this channel)" in await language(bot, "", user=ALICE)

    await bot.thanks(f"<@{CAROL}> for the review", channel_id="C0002")
    await bot.thanks(f"<@{CAROL}> for the deploy", channel_id="C0001")
    await settle(bot)
    texts = announcements(bot)
    assert f"<@{ALICE}> さんが <@{CAROL}> さんにお礼を伝えました: the review" in texts[0] + texts[1]
    assert f"<@{ALICE}> thanked <@{CAROL}>: the deploy" in texts[0] + texts[1]

    assert "follows the workspace's language again (English)" in await language(bot, "default")
    assert "`ja` (Japanese)" in await language(bot, "klingon")
    dm = await bot.sender.command("/giveback", "language ja", user_id=DAVE, channel_id="D0001")
    assert "not in a direct message" in dm.json()["text"]


async def test_an_ask_and_its_buttons_speak_the_channels_language(bot: Bot) -> None:
    _, url = await ask(bot, "who can review my design doc?", BOB)  # Bob reads Japanese
    await settle(bot)
    [post] = posts_to(bot, "C0001")
    blocks = json.dumps(post.args["blocks"], ensure_ascii=False)
    assert "is asking for help" in blocks and "I can help" in blocks and "Withdraw" in blocks
    assert "who can review my design doc?" in blocks
    answer = [c for c in bot.fake.calls_to("response_url") if c.url and url.endswith(c.url)][-1]
    assert "お願いを投稿しました" in answer.args["text"]  # Bob's own answer: Japanese


async def test_the_rolled_up_reply_speaks_the_channels_language(bot: Bot) -> None:
    await language(bot, "ja", channel="C0001")
    for reactor in (ALICE, DAVE):
        event = reaction("reaction_added", user_id=reactor, emoji="pray", item_user=CAROL, ts="1.2")
        await bot.sender.event(event)
        await settle(bot)
    [update] = bot.fake.calls_to("chat.update")
    assert update.args["text"] == (
        f":raised_hands: alice さん、dave さんが <@{CAROL}> さんに感謝しています"
    )
