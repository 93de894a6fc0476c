"""The Web API methods the fake answers, as plain functions of (workspace, args) -> JSON.

`METHODS` maps Slack's method names to them; `auth.test`, `apps.connections.open` and
`oauth.v2.access` need the server's token and URL, so bot/fakeslack/server.py answers those.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bot.devtools.fakeslack.workspace import JsonDict, Workspace


def err(error: str) -> JsonDict:
    return {"ok": False, "error": error}


def truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _ts_key(ts: Any) -> Decimal:
    return Decimal(str(ts)) if ts not in (None, "") else Decimal(0)


def users_info(ws: Workspace, a: JsonDict) -> JsonDict:
    user = ws.users.get(str(a.get("user", "")))
    if user is None:
        return err("user_not_found")
    return {"ok": True, "user": ws.user_json(user, truthy(a.get("include_locale")))}


def users_list(ws: Workspace, a: JsonDict) -> JsonDict:
    members = [ws.user_json(u, truthy(a.get("include_locale"))) for u in ws.users.values()]
    cursor = {"next_cursor": ""}
    return {
        "ok": True,
        "members": members,
        "cache_ts": int(ws.clock()),
        "response_metadata": cursor,
    }


def conversations_open(ws: Workspace, a: JsonDict) -> JsonDict:
    users = [u for u in str(a.get("users", "")).split(",") if u]
    if not users:
        return err("users_list_not_supplied")
    already_open = users[0] in ws.dms
    out: JsonDict = {"ok": True, "channel": {"id": ws.dm_channel(users[0])}}
    return out | {"no_op": True, "already_open": True} if already_open else out


def chat_post_message(ws: Workspace, a: JsonDict) -> JsonDict:
    channel = ws.channel(a.get("channel"))
    if not channel:
        return err("channel_not_found")
    if not any(a.get(k) for k in ("text", "blocks", "attachments")):
        return err("no_text")
    message: JsonDict = {
        "type": "message",
        "user": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "app_id": ws.app_id,
        "team": ws.team_id,
        "ts": ws.next_ts(),
        "text": a.get("text", ""),
    }
    keys = ("blocks", "attachments", "metadata", "thread_ts", "reply_broadcast")
    message.update({k: a[k] for k in keys if k in a})
    ws.messages.setdefault(channel, []).append(message)
    return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}


def chat_post_ephemeral(ws: Workspace, a: JsonDict) -> JsonDict:
    if not a.get("channel") or not a.get("user"):
        return err("channel_not_found" if not a.get("channel") else "user_not_in_channel")
    return {"ok": True, "message_ts": ws.next_ts()}


def chat_update(ws: Workspace, a: JsonDict) -> JsonDict:
    message = ws.find(a)
    if message is None:
        return err("message_not_found")
    message.update({k: a[k] for k in ("text", "blocks", "attachments", "metadata") if k in a})
    message["edited"] = {"user": ws.bot_user_id, "ts": ws.next_ts()}
    channel = ws.channel(a.get("channel"))
    return {
        "ok": True,
        "channel": channel,
        "ts": message["ts"],
        "text": message["text"],
        "message": message,
    }


def chat_delete(ws: Workspace, a: JsonDict) -> JsonDict:
    message = ws.find(a)
    if message is None:
        return err("message_not_found")
    channel = ws.channel(a.get("channel"))
    ws.messages[channel].remove(message)
    return {"ok": True, "channel": channel, "ts": message["ts"]}


def chat_get_permalink(ws: Workspace, a: JsonDict) -> JsonDict:
    channel, ts = ws.channel(a.get("channel")), str(a.get("message_ts", ""))
    link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return {"ok": True, "channel": channel, "permalink": link}


def conversations_history(ws: Workspace, a: JsonDict) -> JsonDict:
    """Newest first, ``limit`` a page, then a cursor to older ones; metadata only on request."""
    oldest, inclusive = _ts_key(a.get("oldest")), truthy(a.get("inclusive"))
    latest = _ts_key(a["latest"]) if a.get("latest") else Decimal("Infinity")
    limit = min(int(a.get("limit") or 100), 999)
    before = _cursor_ts(a.get("cursor"))

    def wanted(m: JsonDict) -> bool:
        if m.get("thread_ts", m["ts"]) != m["ts"] and not m.get("reply_broadcast"):
            return False
        ts = _ts_key(m["ts"])
        if before is not None and ts > before:
            return False  # on an earlier page
        return oldest <= ts <= latest if inclusive else oldest < ts < latest

    found = [m for m in reversed(ws.messages.get(ws.channel(a.get("channel")), [])) if wanted(m)]
    page, rest = found[:limit], found[limit:]
    if not truthy(a.get("include_all_metadata")):
        page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
    cursor = base64.b64encode(f"next_ts:{rest[0]['ts']}".encode()).decode() if rest else ""
    return {
        "ok": True,
        "messages": page,
        "has_more": bool(rest),
        "pin_count": 0,
        "channel_actions_ts": None,
        "channel_actions_count": 0,
        "response_metadata": {"next_cursor": cursor},
    }


def _cursor_ts(cursor: Any) -> Decimal | None:
    """Slack's cursors are opaque; ours name the newest message of the next page."""
    if not cursor:
        return None
    return _ts_key(base64.b64decode(str(cursor)).decode().removeprefix("next_ts:"))


def conversations_replies(ws: Workspace, a: JsonDict) -> JsonDict:
    ts = str(a.get("ts", ""))
    channel = ws.channel(a.get("channel"))
    found = [m for m in ws.messages.get(channel, []) if ts in (m["ts"], m.get("thread_ts"))]
    if not found:
        return err("thread_not_found")
    return {
        "ok": True,
        "messages": found,
        "has_more": False,
        "response_metadata": {"next_cursor": ""},
    }


def reactions_add(ws: Workspace, a: JsonDict) -> JsonDict:
    message = ws.find(a, "timestamp")
    if message is None:
        return err("message_not_found")
    reactions: list[JsonDict] = message.setdefault("reactions", [])
    entry = next((r for r in reactions if r["name"] == a.get("name")), None)
    if entry is None:
        reactions.append({"name": a.get("name"), "users": [ws.bot_user_id], "count": 1})
    elif ws.bot_user_id in entry["users"]:
        return err("already_reacted")
    else:
        entry["users"].append(ws.bot_user_id)
        entry["count"] += 1
    return {"ok": True}


def reactions_get(ws: Workspace, a: JsonDict) -> JsonDict:
    """The message (with its author) and its reactions, as Slack answers for a message."""
    message = ws.find(a, "timestamp")
    if message is None:
        return err("message_not_found")
    return {
        "ok": True,
        "type": "message",
        "channel": ws.channel(a.get("channel")),
        "message": message,
    }


def views_open(ws: Workspace, a: JsonDict) -> JsonDict:
    if not isinstance(a.get("view"), dict):
        return err("invalid_arguments")
    return {"ok": True, "view": ws.store_view(a["view"])}


def views_update(ws: Workspace, a: JsonDict) -> JsonDict:
    external_id = a.get("external_id")
    old = ws.views.get(str(a.get("view_id", ""))) or next(
        (v for v in ws.views.values() if external_id and v.get("external_id") == external_id),
        None,
    )
    if old is None:
        return err("not_found")
    if a.get("hash") and a["hash"] != old["hash"]:
        return err("hash_conflict")
    view = ws.store_view(a.get("view"), view_id=old["id"], root_view_id=old["root_view_id"])
    return {"ok": True, "view": view}


def views_publish(ws: Workspace, a: JsonDict) -> JsonDict:
    user_id, old = str(a.get("user_id", "")), ws.home_tabs.get(str(a.get("user_id", "")))
    if not user_id or not isinstance(a.get("view"), dict):
        return err("invalid_arguments")
    if old is not None and a.get("hash") and a["hash"] != old["hash"]:
        return err("hash_conflict")
    view = ws.store_view(a["view"], view_id=old["id"] if old else None)
    ws.home_tabs[user_id] = view
    return {"ok": True, "view": view}


METHODS: dict[str, Callable[[Workspace, JsonDict], JsonDict]] = {
    "users.info": users_info,
    "users.list": users_list,
    "conversations.open": conversations_open,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
    "chat.delete": chat_delete,
    "chat.getPermalink": chat_get_permalink,
    "reactions.add": reactions_add,
    "reactions.get": reactions_get,
    "views.open": views_open,
    "views.push": views_open,
    "views.update": views_update,
    "views.publish": views_publish,
}
