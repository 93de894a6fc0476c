"""The manifest and the contract checks themselves, against Slack's published specifications."""

from __future__ import annotations

import inspect
import json

import jsonschema
import pytest
import yaml
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from bot.server import EVENTS_PATH
from tests.support.contracts import check_blocks, check_web_api_call, shared_file
from tests.support.paths import ROOT

SOCKET_MODE, OAUTH_HTTP = "manifest.yml", "manifest.oauth.yml"
MANIFESTS = pytest.mark.parametrize("name", [SOCKET_MODE, OAUTH_HTTP])
# What only an HTTP-mode app distributed with OAuth declares: where Slack sends requests, where
# installs come back to, and the events that tell it a workspace's tokens are gone.
HTTP_ONLY_EVENTS = {"app_uninstalled", "tokens_revoked"}


def manifest(name: str = SOCKET_MODE) -> dict:
    return yaml.safe_load((ROOT / name).read_text())


@MANIFESTS
def test_manifest_validates_against_slacks_schema(name: str) -> None:
    schema = json.loads(shared_file("manifest.schema.json").read_text())
    jsonschema.validate(manifest(name), schema)


@MANIFESTS
def test_every_command_receives_escaped_mentions(name: str) -> None:
    commands = manifest(name)["features"]["slash_commands"]
    assert {c["command"] for c in commands} >= {"/thanks", "/giveback"}
    assert all(c.get("should_escape") is True for c in commands)


@MANIFESTS
def test_manifest_asks_for_the_scopes_the_code_uses(name: str) -> None:
    scopes = set(manifest(name)["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "users:read", "app_mentions:read"} <= scopes


@MANIFESTS
def test_every_subscribed_event_has_the_scopes_slack_requires_for_it(name: str) -> None:
    """Slack's Events API description names the scopes each event needs (``member_joined_channel``
    needs ``channels:read`` and ``groups:read``, ``message.im`` needs ``im:history``)."""
    topics = json.loads(shared_file("events_api_asyncapi_v1.json").read_text())["topics"]
    declared = manifest(name)
    scopes = set(declared["oauth_config"]["scopes"]["bot"])
    checked = []
    for event in declared["settings"]["event_subscriptions"]["bot_events"]:
        topic = topics.get(event.replace("_", "."))
        if topic is None:  # newer than the description (app_home_opened)
            continue
        required = set(topic["subscribe"].get("x-scopes-required", []))
        assert required <= scopes, f"{event} needs {required - scopes}"
        checked.append(event)
    assert {"member_joined_channel", "message.im", "reaction_added"} <= set(checked)


def test_the_manifests_shortcuts_are_the_ids_the_code_listens_on() -> None:
    from bot.views import ids

    callbacks = {s["callback_id"] for s in manifest()["features"]["shortcuts"]}
    assert callbacks == {ids.THANKS_SHORTCUT, ids.THANKS_GLOBAL}


def test_the_oauth_manifest_sends_everything_over_http_to_the_bots_paths() -> None:
    declared = manifest(OAUTH_HTTP)
    settings = declared["settings"]
    assert settings["socket_mode_enabled"] is False
    request_urls = {
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        *(c["url"] for c in declared["features"]["slash_commands"]),
    }
    assert request_urls == {f"https://giveback.example.com{EVENTS_PATH}"}
    redirect_path = inspect.signature(AsyncOAuthSettings).parameters["redirect_uri_path"].default
    assert declared["oauth_config"]["redirect_urls"] == [
        f"https://giveback.example.com{redirect_path}"
    ]
    assert set(settings["event_subscriptions"]["bot_events"]) >= HTTP_ONLY_EVENTS


def test_both_manifests_declare_the_same_app_apart_from_how_slack_reaches_it() -> None:
    """Adding a command, scope or event to one manifest and not the other fails here."""
    oauth = manifest(OAUTH_HTTP)
    for command in oauth["features"]["slash_commands"]:
        del command["url"]
    del oauth["oauth_config"]["redirect_urls"]
    events = oauth["settings"]["event_subscriptions"]
    del events["request_url"]
    events["bot_events"] = [e for e in events["bot_events"] if e not in HTTP_ONLY_EVENTS]
    del oauth["settings"]["interactivity"]["request_url"]
    oauth["settings"]["socket_mode_enabled"] = True
    assert oauth == manifest(SOCKET_MODE)


def test_the_method_check_rejects_what_slack_would() -> None:
    check_web_api_call("chat.postMessage", {"channel": "C1", "text": "hi"})
    with pytest.raises(AssertionError, match="not a Slack Web API method"):
        check_web_api_call("chat.postMesage", {"channel": "C1"})
    with pytest.raises(AssertionError, match="required"):
        check_web_api_call("chat.postEphemeral", {"channel": "C1", "text": "no user"})


def test_the_block_check_rejects_what_slack_would() -> None:
    check_blocks([{"type": "section", "text": {"type": "mrkdwn", "text": "ok"}}])
    with pytest.raises(Exception, match="3000"):
        check_blocks([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}])
    with pytest.raises(AssertionError, match="51 blocks"):
        check_blocks([{"type": "divider"}] * 51)
