"""What Slack does with a post to a response URL that belongs to a channel's message."""

from __future__ import annotations

from dataclasses import dataclass

from bot.devtools.fakeslack.web_api import truthy
from bot.devtools.fakeslack.workspace import JsonDict, Workspace


@dataclass
class ResponseTarget:
    channel: str
    message_ts: str | None


def apply_response(ws: Workspace, target: ResponseTarget, body: JsonDict) -> JsonDict | None:
    """Delete, replace or post the message; the message posted or changed, if any."""
    original = ws.find({"channel": target.channel, "ts": target.message_ts or ""})
    if truthy(body.get("delete_original")):
        if original is not None:
            ws.messages[ws.channel(target.channel)].remove(original)
        return None
    fields: JsonDict = {k: body[k] for k in ("text", "blocks", "attachments") if k in body}
    if truthy(body.get("replace_original")):
        if original is None:
            return None
        for key in ("blocks", "attachments"):  # a replacement is the whole new message
            original.pop(key, None)
        original.update({"text": "", **fields})
        return {"channel": target.channel, "ts": original["ts"], "message": original}
    if body.get("response_type") != "in_channel":
        return None  # ephemeral: nothing is stored
    extra = {k: v for k, v in fields.items() if k != "text"}
    message = ws.add_message(target.channel, ws.bot_user_id, str(body.get("text", "")), **extra)
    return {"channel": target.channel, "ts": message["ts"], "message": message}
