"""A request to the fake as recorded (`Call`), and its arguments as Slack would read them."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.devtools.fakeslack.workspace import JsonDict

_JSON_ARGS = ("blocks", "metadata", "view", "attachments")  # JSON strings inside form/query args


@dataclass
class Call:
    method: str  # "chat.postMessage", ... or "response_url"
    args: dict[str, Any]
    token: str | None
    url: str | None = None  # path, for posts to response URLs
    failed: bool = False  # answered with an injected failure or a rate limit
    result: JsonDict | None = None  # the JSON answered; for response URLs, the message posted


async def parse_args(request: web.Request) -> tuple[JsonDict, str | None]:
    """Merge query string and JSON or form body; return (args, token)."""
    args: JsonDict = dict(request.query)
    if request.content_type == "application/json":
        raw = await request.text()
        body = json.loads(raw) if raw.strip() else {}
        args.update(body if isinstance(body, dict) else {})
    elif request.can_read_body:
        form = await request.post()
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in _JSON_ARGS:
        value = args.get(key)
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    token = args.pop("token", None)
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        token = auth.removeprefix("Bearer ").strip()
    return args, token
