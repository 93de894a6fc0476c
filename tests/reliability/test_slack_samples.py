"""Everything Slack's own SDKs record Slack sending, sent to the real app: always 200, never a
traceback, never a row without a workspace, and no ledger change from what is not a thanks.

The samples (tests/fixtures/slack/, origins in its index.json) cover every event and
interaction the manifests subscribe to, and what Slack sends regardless: edits and deletions,
bot messages, Slack Connect (another organisation's members, ``view.app_installed_team_id``,
no ``item_user``), Enterprise Grid and org-wide installs (``team`` null), ``app_rate_limited``,
``user_change`` (``event.user`` an object), legacy dialogs (``state`` a string), and events
the app never subscribed to. Each runs against a bot whose token belongs to the sample's
installing workspace, as Slack would deliver it. Thanks recorded from real payloads are
checked in tests/e2e/test_slack_payloads.py.
"""

from __future__ import annotations

import logging

import pytest

from bot.devtools.fakeslack import FakeSlack
from tests.conftest import TEAM, Bot
from tests.support.samples import (
    Sample,
    filled,
    installing_team,
    samples,
    send,
    settled,
    with_response_urls,
)

SAMPLES = samples()


def test_the_samples_cover_everything_the_manifests_subscribe_to() -> None:
    kinds = {s.kind for s in SAMPLES}
    subscribed = {
        "app_home_opened",
        "app_mention",
        "message",  # message.channels
        "reaction_added",
        "reaction_removed",
        "app_uninstalled",
        "tokens_revoked",
    }
    interactions = {"slash_command", "shortcut", "message_action", "block_actions"}
    modals = {"view_submission", "view_closed"}
    regardless = {
        "app_rate_limited",
        "user_change",
        "message/message_changed",
        "message/message_deleted",
        "message/bot_message",
        "message/thread_broadcast",
        "message/file_share",
        "message/me_message",
        "dialog_submission",
        "url_verification",
    }
    missing = (subscribed | interactions | modals | regardless) - kinds
    assert not missing, missing
    assert all(s.repo and s.path and len(s.commit) == 40 for s in SAMPLES)


def unstored_teams(bot: Bot) -> list[str]:
    """Tables holding a row with an empty or missing workspace (an org-wide payload stored
    under team '' was one)."""
    import sqlite3

    with sqlite3.connect(bot.database) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if any(c[1] == "team_id" for c in conn.execute(f"PRAGMA table_info({name})"))
        ]
        return [
            t
            for t in tables
            if conn.execute(
                f"SELECT count(*) FROM {t} WHERE coalesce(team_id, '') = ''"
            ).fetchone()[0]
        ]


def answered_for(fake: FakeSlack, sample: Sample) -> tuple[dict[str, object], str]:
    """The payload as it is sent, and the workspace the fake's token belongs to for it."""
    payload = filled(sample.payload(), TEAM) if sample.is_shape else sample.payload()
    payload = with_response_urls(payload, fake.response_url())
    return payload, installing_team(payload) or TEAM


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.file for s in SAMPLES])
async def test_slack_sends_it_and_the_bot_answers_200_calmly(
    bot: Bot, caplog: pytest.LogCaptureFixture, sample: Sample
) -> None:
    caplog.set_level(logging.INFO)
    payload, team = answered_for(bot.fake, sample)
    bot.fake.workspace.team_id = team  # the bot's token is the installing workspace's
    reply = await send(bot.sender, payload, sample.delivery)
    await settled()
    assert reply.status == 200, reply.text
    assert "Traceback" not in reply.text
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert failures == [], [r.getMessage() for r in failures]
    assert [e async for e in bot.store.events.export()] == []  # none of them is a thanks
    assert unstored_teams(bot) == []
