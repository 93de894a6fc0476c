"""The manifest and the contract checks themselves, against Slack's published specifications."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.contracts import check_blocks, check_web_api_call, shared_file

ROOT = Path(__file__).resolve().parents[1]


def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_validates_against_slacks_schema() -> None:
    schema = json.loads(shared_file("manifest.schema.json").read_text())
    jsonschema.validate(manifest(), schema)


def test_every_command_receives_escaped_mentions() -> None:
    commands = manifest()["features"]["slash_commands"]
    assert {c["command"] for c in commands} >= {"/thanks", "/giveback"}
    assert all(c.get("should_escape") is True for c in commands)


def test_manifest_asks_for_the_scopes_the_code_uses() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "users:read", "app_mentions:read"} <= scopes


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
