"""The manifest declares what favours listen to."""

from __future__ import annotations

from bot.views import ids
from tests.e2e.test_contracts import MANIFESTS, manifest


@MANIFESTS
def test_manifest_declares_ask_the_shortcut_and_reaction_events(name: str) -> None:
    declared = manifest(name)
    commands = {c["command"] for c in declared["features"]["slash_commands"]}
    shortcuts = {s["callback_id"]: s for s in declared["features"]["shortcuts"]}
    assert "/ask" in commands
    assert shortcuts[ids.THANKS_SHORTCUT]["type"] == "message"
    assert shortcuts[ids.THANKS_SHORTCUT]["name"] == "Thank the author"
    events = set(declared["settings"]["event_subscriptions"]["bot_events"])
    assert {"reaction_added", "reaction_removed"} <= events
    assert "reactions:read" in declared["oauth_config"]["scopes"]["bot"]
    assert declared["settings"]["interactivity"]["is_enabled"] is True
