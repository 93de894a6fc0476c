"""Slack's real payloads, and the ledger they leave: edits, deletions, Slack Connect, org-wide
installs, message subtypes, bots, rate limits, and reactions redelivered out of order.

Each test starts from one of Slack's own samples (tests/fixtures/slack/, origins in its
index.json) and changes only what the test is about, in the open (:func:`changed`): the words
of a message, mostly, so that it is a thanks. The bot's token belongs to the sample's
installing workspace, as it would when Slack delivers it.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import pytest

from bot.domain.settings import WorkspaceSettings
from bot.views import ids
from tests.conftest import Bot
from tests.support.samples import installing_team, sample, send, settled

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

PEOPLE = ("W111", "W222", "U111", "U222", "USER_ID_ACTOR")


def changed(payload: dict[str, Any], **event: Any) -> dict[str, Any]:
    """A copy of an event sample with these fields of its ``event`` replaced."""
    out = copy.deepcopy(payload)
    out["event"].update(event)
    return out


def serve(bot: Bot, payload: dict[str, Any]) -> str:
    """Make the bot's token the payload's installing workspace's; know the samples' people."""
    team = installing_team(payload) or "T111"
    bot.fake.workspace.team_id = team
    for user in PEOPLE:
        if user not in bot.fake.users:
            bot.fake.add_user(user, user.lower())
    return team


async def ledger(bot: Bot, team: str) -> list[tuple[str, str]]:
    return [(e.giver_id, e.receiver_id) async for e in bot.store.events.export(team_id=team)]


def thanks_posts(bot: Bot) -> list[str]:
    return [c.args.get("text", "") for c in bot.fake.calls_to("chat.postMessage")]


async def test_an_edited_mention_counts_once_and_a_name_added_by_the_edit_once(bot: Bot) -> None:
    """Slack sends app_mention again, with a new event_id and an ``edited`` field, when the
    message is edited: the once-only key is the message (channel and ts), not the delivery."""
    mention = sample("bolt-python/app_mention.json").payload()
    team = serve(bot, mention)
    said = changed(mention, text="<@UBOT> thanks <@U111> for the review")
    assert (await send(bot.sender, said, "json")).status == 200
    await settled()
    assert await ledger(bot, team) == [("U111", "W222")]

    edited = changed(said, edited={"user": "W222", "ts": "1595926299.000000"})
    edited["event_id"] = "Ev222"
    assert (await send(bot.sender, edited, "json")).status == 200
    changed_event = sample("bolt-python/message_changed.json").payload()  # sent alongside
    assert (await send(bot.sender, changed_event, "json")).status == 200
    await settled()
    assert await ledger(bot, team) == [("U111", "W222")]
    assert len(thanks_posts(bot)) == 1  # announced once

    named = changed(edited, text="<@UBOT> thanks <@U111> <@U222> for the review")
    named["event_id"] = "Ev333"
    assert (await send(bot.sender, named, "json")).status == 200
    await settled()
    assert sorted(await ledger(bot, team)) == [("U111", "W222"), ("U222", "W222")]
    assert len(thanks_posts(bot)) == 2 and "<@U111>" not in thanks_posts(bot)[-1]


async def test_deleting_the_message_keeps_the_thanks(bot: Bot) -> None:
    """Decided: a thanks, once given, is the helper's. Deleting the message (to tidy a
    channel, to repost it) takes nothing back; a reaction removed within a day does."""
    mention = sample("bolt-python/app_mention.json").payload()
    team = serve(bot, mention)
    await send(bot.sender, changed(mention, text="<@UBOT> thanks <@U111> for the review"), "json")
    deleted = sample("bolt-python/message_deleted.json").payload()
    deleted["event"].update(channel="C111", deleted_ts="1595926230.009600")
    deleted["event"]["previous_message"].update(ts="1595926230.009600", user="W222")
    assert (await send(bot.sender, deleted, "json")).status == 200
    await settled()
    assert await ledger(bot, team) == [("U111", "W222")]


async def test_a_modal_sent_from_the_other_side_of_slack_connect_is_stored_here(
    bot: Bot,
) -> None:
    """The payload's team is the other organisation; view.app_installed_team_id names the
    workspace that installed giveback, where the thanks belongs."""
    submitted = sample("bolt-python/connect_view_submission.json").payload()
    submitted["view"].update(
        callback_id=ids.THANKS_MODAL,
        private_metadata="en",
        state={
            "values": {
                ids.HELPERS_INPUT: {
                    ids.HELPERS_INPUT: {"type": "multi_users_select", "selected_users": ["U111"]}
                },
                ids.NOTE_INPUT: {ids.NOTE_INPUT: {"type": "plain_text_input", "value": "pairing"}},
            }
        },
    )
    team = serve(bot, submitted)
    assert team == "T-installed-workspace" != submitted["team"]["id"]
    reply = await send(bot.sender, submitted, "form-payload")
    assert reply.status == 200 and reply.json()["response_action"] == "update"
    assert await ledger(bot, team) == [("U111", "W111")]
    assert await ledger(bot, "T-other-side") == []


async def test_a_reaction_without_item_user_asks_slack_who_wrote_the_message(bot: Bot) -> None:
    """A Slack Connect member's reaction event comes without ``item_user``."""
    reacted = sample("bolt-python/connect_no_actor_00_reaction_added.json").payload()
    assert "item_user" not in reacted["event"]
    team = serve(bot, reacted)
    await configure_team(bot, team, reaction_emoji=("eyes",))
    item = reacted["event"]["item"]
    message = {"type": "message", "user": "U111", "text": "fixed", "ts": item["ts"]}
    bot.fake.workspace.messages.setdefault(item["channel"], []).append(message)
    assert (await send(bot.sender, reacted, "json")).status == 200
    await settled()
    assert await ledger(bot, team) == [("U111", "USER_ID_ACTOR")]
    assert bot.fake.calls_to("reactions.get")


async def test_when_slack_cannot_say_who_wrote_it_the_reactor_is_told(bot: Bot) -> None:
    reacted = sample("bolt-python/connect_no_actor_00_reaction_added.json").payload()
    team = serve(bot, reacted)
    await configure_team(bot, team, reaction_emoji=("eyes",))
    bot.fake.fail("reactions.get", status=500, times=10)
    assert (await send(bot.sender, reacted, "json")).status == 200
    [told] = await bot.fake.wait_for("chat.postEphemeral")
    assert told.args["user"] == "USER_ID_ACTOR" and "wasn't recorded" in told.args["text"]
    assert await ledger(bot, team) == []


async def configure_team(bot: Bot, team: str, **changes: Any) -> None:
    await bot.store.preferences.save_workspace(team, WorkspaceSettings(**changes), now=bot.clock())


@pytest.mark.parametrize(
    "file",
    [
        "bolt-python/org_app_mention.json",
        "bolt-python/org_message.json",
        "bolt-python/org_app_home_opened.json",
    ],
)
async def test_org_wide_events_are_refused_with_one_clear_line(
    bot: Bot, caplog: pytest.LogCaptureFixture, file: str
) -> None:
    """An org-wide (Enterprise Grid) install names no workspace in its authorizations;
    giveback installs per workspace (org_deploy_enabled: false) and stores nothing."""
    caplog.set_level(logging.INFO)
    event = sample(file).payload()
    if event["event"]["type"] in ("app_mention", "message"):
        event = changed(event, text="<@UBOT> thanks <@U111> for the review")
    serve(bot, event)
    assert (await send(bot.sender, event, "json")).status == 200
    await settled()
    assert await ledger(bot, "") == [] and await ledger(bot, "T111") == []
    lines = [r.getMessage() for r in caplog.records if "org-wide" in r.getMessage()]
    assert len(lines) == 1 and "giveback installs per workspace" in lines[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("kind", ["view_submission", "block_actions", "shortcut"])
async def test_org_wide_interactions_with_team_null_are_refused_calmly(
    bot: Bot, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    """Interactions of an org-wide install carry ``"team": null`` (bolt-python's own note in
    slack_bolt/request/internals.py); the samples here get it set, and nothing else."""
    caplog.set_level(logging.INFO)
    payload = sample(f"bolt-python/{kind}.json").payload()
    payload.update(team=None, is_enterprise_install=True)
    if kind == "view_submission":
        payload["view"].update(callback_id=ids.THANKS_MODAL)
    if kind == "block_actions":
        payload["actions"][0].update(action_id=ids.THANK_BUTTON)
    if kind == "shortcut":
        payload.update(callback_id=ids.THANKS_GLOBAL)
    serve(bot, payload)
    reply = await send(bot.sender, payload, "form-payload")
    await settled()
    assert reply.status == 200 and "Traceback" not in reply.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert [e async for e in bot.store.events.export()] == []
    assert bot.fake.calls_to("views.open") == []


@pytest.mark.parametrize(
    "file",
    [
        "bolt-python/message_thread_broadcast.json",
        "bolt-python/message_file_share_2.json",
        "java-slack-sdk/MessageMe.json",
    ],
)
async def test_thanks_in_a_broadcast_reply_a_file_message_or_a_me_message_get_the_offer(
    bot: Bot, file: str
) -> None:
    message = sample(file).payload()
    if file.startswith("java"):  # a shape sample: its blanks filled
        message.update(type="event_callback", team_id="T111")
        message["authorizations"][0].update(team_id="T111", enterprise_id=None)
        message["event"].update(channel="C111", ts="1652227646.593159", channel_type="channel")
        message["event"].pop("bot_id")
    said = changed(message, user="U111", text="thanks <@W222> for the help")
    serve(bot, said)
    assert (await send(bot.sender, said, "json")).status == 200
    [offer] = await bot.fake.wait_for("chat.postEphemeral")
    assert offer.args["user"] == "U111"
    assert ids.DETECT_LOG in json.dumps(offer.args.get("blocks"))


async def test_a_bot_mentioning_giveback_gets_200_and_nothing_else(bot: Bot) -> None:
    """Bolt answered 404 (a middleware returned without next()), and Slack retried."""
    mention = sample("bolt-python/app_mention.json").payload()
    team = serve(bot, mention)
    from_bot = changed(mention, text="<@UBOT> thanks <@U111>", bot_id="B222", subtype="bot_message")
    reply = await send(bot.sender, from_bot, "json")
    await settled()
    assert reply.status == 200
    assert await ledger(bot, team) == [] and bot.fake.calls_to("chat.postEphemeral") == []


async def test_app_rate_limited_gets_200_and_one_warning(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack sends it (at the top level, not as an event) whether or not the app subscribed;
    the java sample wraps the same fields in its event envelope."""
    limited = sample("java-slack-sdk/AppRateLimited.json").payload()["event"]
    limited.update(team_id="T0001", minute_rate_limited=1518467820, api_app_id="A0001")
    reply = await send(bot.sender, limited, "json")
    assert reply.status == 200
    warned = [r for r in caplog.records if "holding back events" in r.getMessage()]
    assert len(warned) == 1 and warned[0].levelno == logging.WARNING


async def test_a_reaction_redelivered_after_its_removal_stays_removed(bot: Bot) -> None:
    """Slack retries an event whose delivery seemed to fail, so a reaction_added can arrive
    after the reaction_removed that undid it: the removal is remembered (a tombstone)."""
    added = sample("bolt-python/reaction_added.json").payload()
    added = changed(added, reaction="raised_hands", item_user="U111")
    team = serve(bot, added)
    removed = changed(added, type="reaction_removed", event_ts="1599616900.000100")
    removed["event_id"] = "Ev_removed"
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}

    await send(bot.sender, added, "json")
    assert await ledger(bot, team) == [("U111", "W111")]
    await send(bot.sender, removed, "json")
    assert await ledger(bot, team) == []
    redelivered = await bot.sender.post(json.dumps(added), "application/json", headers=retry)
    assert redelivered.status == 200
    assert await ledger(bot, team) == []  # the stale add brings nothing back

    again = changed(added, event_ts="1599617000.000200")  # later: they reacted again
    again["event_id"] = "Ev_again"
    await send(bot.sender, again, "json")
    await settled()
    assert await ledger(bot, team) == [("U111", "W111")]


async def test_a_removal_that_arrives_before_its_reaction_wins(bot: Bot) -> None:
    added = changed(
        sample("bolt-python/reaction_added.json").payload(),
        reaction="raised_hands",
        item_user="U111",
    )
    team = serve(bot, added)
    removed = changed(added, type="reaction_removed", event_ts="1599616900.000100")
    await send(bot.sender, removed, "json")
    await send(bot.sender, added, "json")
    await settled()
    assert await ledger(bot, team) == []
