"""Refuse request bodies shaped unlike anything Slack sends, before Bolt routes them.

Bolt assumes Slack's shapes while matching listeners and even while logging an unhandled
request (``view.get(...)`` on a list raises): a malformed body became a 500. Anything signed
but malformed is the sender's fault and gets a 400; nothing is stored.
"""

from __future__ import annotations

from typing import Any

# Keys Bolt reads while routing and what they must be when present. (A legacy dialog's
# top-level "state" is a string: not checked.)
OBJECTS = ("view", "event", "message", "container", "authorizations_info")
IDS = ("team", "user", "channel", "enterprise")  # a string id, or an object with "id"
COMMAND_FIELDS = ("team_id", "user_id", "trigger_id")  # Slack sends them with every command
# The events listeners read as strings; other events may carry objects there (user_change's
# "user", channel_rename's "channel") and only need to be routable.
HANDLED_EVENTS = ("app_mention", "message", "reaction_added", "reaction_removed", "app_home_opened")
EVENT_STRINGS = (
    "type",
    "subtype",
    "text",
    "user",
    "channel",
    "ts",
    "thread_ts",
    "event_ts",
    "bot_id",
)


def malformed(body: Any) -> bool:
    if not isinstance(body, dict):
        return True
    if not isinstance(body.get("type", ""), str):
        return True
    if "command" in body and not all(body.get(key) for key in COMMAND_FIELDS):
        return True
    if any(key in body and not isinstance(body[key], dict) for key in OBJECTS):
        return True
    if any(key in body and not isinstance(body[key], str | dict | None) for key in IDS):
        return True
    actions = body.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        return True
    event = body.get("event", {})
    if any(key in event and not isinstance(event[key], str | dict | None) for key in IDS):
        return True
    if event.get("type") not in HANDLED_EVENTS:
        return not isinstance(event.get("type", ""), str)
    return any(not isinstance(event.get(key, ""), str | None) for key in EVENT_STRINGS)
