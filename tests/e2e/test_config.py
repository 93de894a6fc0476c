"""The settings an admin changes in `/giveback config` are saved and take effect at once."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from bot.devtools.payloads import reaction
from bot.domain.settings import WorkspaceSettings
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM, Bot
from tests.support.config import (
    assert_saved,
    change_settings,
    chosen,
    modal_state,
    open_config,
    submit_config,
    typed,
)
from tests.support.favours import ask, buttons, press, replies_to
from tests.support.nudges import asked

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

JA_ADMIN = "UJAADMIN"


async def top(bot: Bot, user: str = ALICE) -> dict:
    reply = await bot.sender.command(
        "/giveback", "top", user_id=user, response_url=bot.fake.response_url()
    )
    assert reply.status == 200
    return reply.json() or {}


async def test_the_modal_opens_with_the_current_values_and_saves_every_section(bot: Bot) -> None:
    current = dataclasses.replace(
        WorkspaceSettings(), leaderboard=False, announce="thread", reaction_emoji=("tada",)
    )
    await bot.store.preferences.save_workspace(TEAM, current, now=bot.clock())
    view = await open_config(bot)
    headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
    assert headers == ["Give first", "Nudges", "Thanks", "Visibility"]
    values = modal_state(view)
    assert values["leaderboard"]["value"]["selected_option"]["value"] == "off"
    assert values["announce"]["value"]["selected_option"]["value"] == "thread"
    assert values["reaction_emoji"]["value"]["value"] == "tada"
    assert values["daily_pair_cap"]["value"]["value"] == "3"

    values.update(
        leaderboard=chosen("on"),
        announce=chosen("private"),
        reaction_emoji=typed(":clap: :Raised_Hands::skin-tone-2:", "plain_text_input"),
        daily_pair_cap=typed("1"),
        newcomer_events=typed("0"),
        busy_asks=typed("10"),
    )
    assert_saved(await submit_config(bot, values))
    assert await bot.store.preferences.workspace(TEAM) == dataclasses.replace(
        current,
        leaderboard=True,
        announce="private",
        reaction_emoji=("clap", "raised_hands"),
        daily_pair_cap=1,
        newcomer_events=0,
        busy_asks=10,
    )


async def test_bad_values_are_shown_on_their_fields_and_nothing_is_saved(bot: Bot) -> None:
    values = modal_state(await open_config(bot))
    values.update(
        daily_pair_cap=typed("0"),
        busy_asks=typed("21"),
        newcomer_events=typed("-1"),
        reaction_emoji=typed("raised_hands <script> pray", "plain_text_input"),
    )
    body = (await submit_config(bot, values)).json()
    assert body["response_action"] == "errors"
    errors = body["errors"]
    assert set(errors) == {"daily_pair_cap", "busy_asks", "newcomer_events", "reaction_emoji"}
    assert errors["daily_pair_cap"] == "Enter a whole number from 1 to 20."
    assert errors["newcomer_events"] == "Enter a whole number from 0 to 50."
    assert "“<script>” doesn't look like an emoji name" in errors["reaction_emoji"]

    values.update(reaction_emoji=typed("a b c d e f", "plain_text_input"))
    body = (await submit_config(bot, values)).json()
    assert body["errors"]["reaction_emoji"] == "Choose at most 5 emoji."
    assert await bot.store.preferences.workspace(TEAM) == WorkspaceSettings()


async def test_a_japanese_admin_gets_the_modal_and_its_errors_in_japanese(bot: Bot) -> None:
    bot.fake.add_user(JA_ADMIN, "kanri", locale="ja-JP", is_admin=True)
    view = await open_config(bot, JA_ADMIN)
    headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
    assert headers == ["先に力になる", "お知らせ", "感謝", "表示"]
    values = {**modal_state(view), "daily_pair_cap": typed("99")}
    values["reaction_emoji"] = typed("ok 了解 :tada:", "plain_text_input")
    body = (await submit_config(bot, values, JA_ADMIN)).json()
    assert body["errors"] == {"daily_pair_cap": "1 から 20 までの整数を入力してください。"}

    values["daily_pair_cap"] = typed("2")
    assert_saved(await submit_config(bot, values, JA_ADMIN), "giveback の設定を保存しました。")
    saved = await bot.store.preferences.workspace(TEAM)
    assert (saved.daily_pair_cap, saved.reaction_emoji) == (2, ("ok", "了解", "tada"))


async def test_turning_the_leaderboard_off_and_on_again(bot: Bot) -> None:
    await bot.thanks(f"<@{BOB}> for the review")
    [_announcement] = await bot.fake.wait_for("response_url")
    await change_settings(bot, leaderboard=chosen("off"))
    off = await top(bot)
    assert off["text"] == "The leaderboard is turned off in this workspace."

    assert len(bot.fake.calls_to("response_url")) == 1  # only the thanks: no ranking

    await change_settings(bot, leaderboard=chosen("on"))
    assert await top(bot) == {}  # acknowledged; the ranking follows
    _, ranking = await bot.fake.wait_for("response_url", 2)
    assert ranking.args["response_type"] == "ephemeral"
    assert "helped the most colleagues" in ranking.args["text"]
    assert f"<@{BOB}>" in str(ranking.args["blocks"])


async def test_private_announcements_keep_thanks_out_of_the_channel(bot: Bot) -> None:
    await change_settings(bot, announce=chosen("private"))
    status, _ack, _ = await bot.thanks(f"<@{BOB}> for the review")
    assert status == 200
    [reply] = await bot.fake.wait_for("response_url")
    assert reply.args["response_type"] == "ephemeral"
    assert reply.args["text"].startswith("Recorded:")
    [dm] = await bot.fake.wait_for("chat.postMessage")
    assert dm.args["channel"] == BOB and "the review" in dm.args["text"]
    assert [e.receiver_id for e in await bot.events()] == [ALICE]


async def test_new_reaction_emoji_record_thanks_and_the_old_ones_no_longer_do(bot: Bot) -> None:
    await change_settings(bot, reaction_emoji=typed(":clap:", "plain_text_input"))

    def added(emoji: str, ts: str) -> dict:
        return reaction("reaction_added", user_id=ALICE, emoji=emoji, item_user=CAROL, ts=ts)

    assert (await bot.sender.event(added("raised_hands", "1700000000.000100"))).status == 200
    assert await bot.events() == []
    assert (await bot.sender.event(added("clap::skin-tone-2", "1700000000.000200"))).status == 200
    [event] = await bot.events()
    assert (event.giver_id, event.receiver_id, event.source) == (CAROL, ALICE, "reaction")


async def test_an_empty_emoji_list_turns_reaction_thanks_off(bot: Bot) -> None:
    await change_settings(bot, reaction_emoji=typed(None, "plain_text_input"))
    assert (await bot.store.preferences.workspace(TEAM)).reaction_emoji == ()
    event = reaction(
        "reaction_added", user_id=ALICE, emoji="raised_hands", item_user=CAROL, ts="17.1"
    )
    assert (await bot.sender.event(event)).status == 200
    assert await bot.events() == []


async def test_the_daily_pair_cap_limits_what_counts_in_balances(bot: Bot) -> None:
    await change_settings(bot, daily_pair_cap=typed("1"))
    for note in ("the review", "the deploy", "the docs"):
        await bot.thanks(f"<@{BOB}> for {note}")
    events = await bot.events()
    assert [e.counted for e in events] == [True, False, False]  # all kept, one counted
    since = bot.clock() - timedelta(days=1)
    ledger = await bot.store.events.ledger(team_id=TEAM, user_id=BOB, since=since)
    assert ledger.given_recent == 1


async def test_a_modal_opened_before_an_upgrade_keeps_the_fields_it_did_not_show(
    bot: Bot,
) -> None:
    current = dataclasses.replace(
        WorkspaceSettings(), leaderboard=False, announce="private", reaction_emoji=("clap",)
    )
    await bot.store.preferences.save_workspace(TEAM, current, now=bot.clock())
    new_fields = ("leaderboard", "announce", "reaction_emoji", "daily_pair_cap")
    values = modal_state(await open_config(bot))
    old_modal = {k: v for k, v in values.items() if k not in new_fields}
    old_modal["threshold"] = typed("6")
    assert_saved(await submit_config(bot, old_modal, DAVE))
    assert await bot.store.preferences.workspace(TEAM) == dataclasses.replace(current, threshold=6)


async def test_the_newcomer_allowance_decides_who_is_never_held_back(bot: Bot) -> None:
    await ask(bot, "who knows the on-call rota?", DAVE)  # an ask Carol could help with
    await asked(bot.store, CAROL, 2, at=bot.clock(), helper=BOB)  # 4 favours, 2 help events
    body, _ = await ask(bot, "how do I get VPN access?", CAROL)
    assert body is None  # asked straight away: new to giveback under the default 5
    await bot.fake.wait_for("chat.postMessage", count=2)

    await change_settings(bot, newcomer_events=typed("0"))
    body, _ = await ask(bot, "and the staging password?", CAROL)

    assert body["response_type"] == "ephemeral"  # held: the give-first reply
    assert "on-call rota" in json.dumps(body["blocks"], ensure_ascii=False)
    assert len(bot.fake.calls_to("chat.postMessage")) == 2  # Dave's ask and Carol's first


async def test_busy_at_decides_who_counts_as_over_asked(bot: Bot) -> None:
    await ask(bot, f"<@{BOB}> one", DAVE)
    body, url = await ask(bot, f"<@{BOB}> can you help with the build?", ALICE)
    assert body is None  # 1 open: not busy, posted straight away
    await replies_to(bot, url)

    await change_settings(bot, busy_asks=typed("2"))
    # Two open asks wait on Bob now: busy at 2, though not at the default 3.
    body, _ = await ask(bot, f"<@{BOB}> and with the release notes?", CAROL)
    assert f"<@{BOB}> already has several open asks" in body["text"]
    [(action, value)] = [b for b in buttons(body["blocks"]) if b[0] == "ask_busy_post"]
    _, url = await press(bot, action, value, CAROL)  # "Post as it is"
    await replies_to(bot, url)
    posted = await bot.store.asks.get(team_id="T0001", ask_id=int(value))
    assert posted is not None and posted.is_open and posted.asked == (BOB,)
