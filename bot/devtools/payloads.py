"""Slack payloads as Slack shapes them: button presses, modal submissions, message and global
shortcuts, reaction events, channel joins and DMs to the bot. Pure builders for the end-to-end
tests and the playground (send them with ``SignedSender.interaction`` / ``SignedSender.event``).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

_ids = itertools.count(1)


def _trigger() -> str:
    return f"{next(_ids)}.{int(time.time())}.trigger"


def block_action(
    action_id: str,
    value: str,
    *,
    user_id: str,
    team_id: str = "T0001",
    response_url: str = "",
    channel_id: str = "C0001",
    message_ts: str | None = None,
    ephemeral: bool = False,
) -> dict[str, Any]:
    """A ``block_actions`` payload for one button press."""
    container: dict[str, Any] = {
        "type": "message",
        "channel_id": channel_id,
        "is_ephemeral": ephemeral,
    }
    if message_ts:
        container["message_ts"] = message_ts
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "team": {"id": team_id, "domain": "example"},
        "trigger_id": _trigger(),
        "response_url": response_url,
        "container": container,
        "channel": {"id": channel_id, "name": "general"},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": f"b{next(_ids)}",
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


def view_submission(
    view: dict[str, Any], values: dict[str, dict[str, Any]], *, user_id: str, team_id: str = "T0001"
) -> dict[str, Any]:
    """Submit ``view`` (as the app opened it) with ``values``: ``{block_id: {action_id: state}}``."""
    submitted = {**view, "id": view.get("id", f"V{next(_ids):08d}"), "state": {"values": values}}
    return {
        "type": "view_submission",
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "team": {"id": team_id, "domain": "example"},
        "trigger_id": _trigger(),
        "view": submitted,
        "response_urls": [],
    }


def message_action(
    callback_id: str,
    message: dict[str, Any],
    *,
    user_id: str,
    team_id: str = "T0001",
    channel_id: str = "C0001",
    response_url: str = "",
) -> dict[str, Any]:
    """A message shortcut on ``message`` (``{"user": ..., "ts": ..., "text": ...}``)."""
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "trigger_id": _trigger(),
        "user": {"id": user_id, "name": user_id.lower()},
        "team": {"id": team_id, "domain": "example"},
        "channel": {"id": channel_id, "name": "general"},
        "message": {"type": "message", **message},
        "message_ts": message.get("ts"),
        "response_url": response_url,
    }


def reaction(
    kind: str,
    *,
    user_id: str,
    emoji: str,
    item_user: str | None,
    channel_id: str = "C0001",
    ts: str,
) -> dict[str, Any]:
    """A ``reaction_added`` / ``reaction_removed`` event on a message."""
    event: dict[str, Any] = {
        "type": kind,
        "user": user_id,
        "reaction": emoji,
        "item": {"type": "message", "channel": channel_id, "ts": ts},
        "event_ts": f"{time.time():.6f}",
    }
    if item_user is not None:
        event["item_user"] = item_user
    return event


def global_shortcut(
    callback_id: str, *, user_id: str, team_id: str = "T0001", trigger_id: str | None = None
) -> dict[str, Any]:
    """A global shortcut (the composer's lightning menu): no channel, no message, a trigger."""
    return {
        "type": "shortcut",
        "token": "legacy-verification-token",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": "example"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id or _trigger(),
    }


def member_joined(
    user_id: str, *, channel_id: str = "C0001", inviter: str | None = None, team_id: str = "T0001"
) -> dict[str, Any]:
    """``member_joined_channel``, shaped as in Slack's own sample
    (java-slack-sdk json-logs/samples/events/MemberJoinedChannelPayload.json)."""
    event: dict[str, Any] = {
        "type": "member_joined_channel",
        "user": user_id,
        "channel": channel_id,
        "channel_type": "C",
        "team": team_id,
        "event_ts": f"{time.time():.6f}",
    }
    if inviter:
        event["inviter"] = inviter
    return event


def direct_message(user_id: str, text: str, *, channel_id: str = "D0000001") -> dict[str, Any]:
    """A ``message.im`` event: someone wrote to the bot in its Messages tab."""
    ts = f"{time.time():.6f}"
    return {
        "type": "message",
        "channel": channel_id,
        "user": user_id,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
        "client_msg_id": f"msg-{next(_ids)}",
    }
