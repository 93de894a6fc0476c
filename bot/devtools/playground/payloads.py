"""Events and interaction payloads shaped as Slack sends them (pure builders, no I/O).

Only the parts apps read are filled in; the shapes follow Slack's reference for the
Events API (``app_mention``, ``message``, ``reaction_added``, ``app_home_opened``) and
interaction payloads (``block_actions``, ``view_submission``, ``view_closed``,
``shortcut``, ``message_action``).
"""

from __future__ import annotations

from typing import Any

from bot.devtools.playground.blocks import Button
from bot.devtools.playground.world import CHANNEL, CHANNEL_NAME, TEAM, Person

JsonDict = dict[str, Any]


def user(p: Person) -> JsonDict:
    return {"id": p.id, "username": p.name, "name": p.name, "team_id": TEAM}


def channel(channel_id: str) -> JsonDict:
    name = CHANNEL_NAME if channel_id == CHANNEL else "directmessage"
    return {"id": channel_id, "name": name}


def message_event(p: Person, channel_id: str, text: str, ts: str) -> JsonDict:
    kind = "im" if channel_id.startswith("D") else "channel"
    return {
        "type": "message",
        "channel": channel_id,
        "user": p.id,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": kind,
        "team": TEAM,
    }


def mention_event(p: Person, channel_id: str, text: str, ts: str) -> JsonDict:
    return {
        "type": "app_mention",
        "user": p.id,
        "text": text,
        "ts": ts,
        "channel": channel_id,
        "event_ts": ts,
        "team": TEAM,
    }


def reaction_event(
    p: Person, emoji: str, channel_id: str, ts: str, item_user: str, event_ts: str
) -> JsonDict:
    return {
        "type": "reaction_added",
        "user": p.id,
        "reaction": emoji,
        "item_user": item_user,
        "item": {"type": "message", "channel": channel_id, "ts": ts},
        "event_ts": event_ts,
    }


def home_opened_event(p: Person, dm_channel: str, view: JsonDict | None, event_ts: str) -> JsonDict:
    event: JsonDict = {
        "type": "app_home_opened",
        "user": p.id,
        "channel": dm_channel,
        "tab": "home",
        "event_ts": event_ts,
    }
    if view is not None:
        event["view"] = view
    return event


def block_actions(
    p: Person,
    button: Button,
    *,
    container: JsonDict,
    trigger_id: str,
    action_ts: str,
    channel_id: str | None = None,
    message: JsonDict | None = None,
    view: JsonDict | None = None,
    response_url: str | None = None,
) -> JsonDict:
    action: JsonDict = {
        "type": "button",
        "action_id": button.action_id,
        "block_id": button.block_id,
        "text": {"type": "plain_text", "text": button.label, "emoji": True},
        "action_ts": action_ts,
    }
    if button.value is not None:
        action["value"] = button.value
    payload: JsonDict = {
        "type": "block_actions",
        "user": user(p),
        "container": container,
        "trigger_id": trigger_id,
        "actions": [action],
        "state": {"values": {}},
    }
    if channel_id is not None:
        payload["channel"] = channel(channel_id)
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission(p: Person, view: JsonDict, values: JsonDict, trigger_id: str) -> JsonDict:
    return {
        "type": "view_submission",
        "user": user(p),
        "trigger_id": trigger_id,
        "view": {**view, "state": {"values": values}},
        "response_urls": [],
    }


def view_closed(p: Person, view: JsonDict) -> JsonDict:
    return {"type": "view_closed", "user": user(p), "view": view, "is_cleared": False}


def shortcut(p: Person, callback_id: str, trigger_id: str, action_ts: str) -> JsonDict:
    return {
        "type": "shortcut",
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "user": user(p),
        "action_ts": action_ts,
    }


def message_action(
    p: Person,
    callback_id: str,
    *,
    channel_id: str,
    message: JsonDict,
    trigger_id: str,
    response_url: str,
    action_ts: str,
) -> JsonDict:
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "user": user(p),
        "channel": channel(channel_id),
        "message": message,
        "message_ts": message["ts"],
        "action_ts": action_ts,
    }
