"""Where every listener failure ends: logged once, the person told kindly, never a traceback."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.i18n.catalog import t
from bot.services.deps import Deps

log = logging.getLogger("giveback")


async def handle_error(
    error: Exception,
    body: dict[str, Any],
    context: AsyncBoltContext,
    response: BoltResponse | None,
) -> BoltResponse | None:
    """Bolt's error handler, and the wrapper's (bot.slack.acking) for failures after the ack."""
    log.error("listener failed: %s: %s", type(error).__name__, error, exc_info=error)
    deps: Deps | None = context.get("deps")
    lang = deps.default_language if deps else "en"
    message = t(lang, "error.generic")
    if response is not None and body.get("command"):
        # Not yet acknowledged: answer the slash command directly.
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": message}),
            headers={"content-type": ["application/json;charset=utf-8"]},
        )
    respond = context.get("respond")
    if respond is not None:
        try:
            await respond(response_type="ephemeral", replace_original=False, text=message)
        except Exception:  # the error path must never raise
            log.warning("could not tell the user about the failure")
    return None
