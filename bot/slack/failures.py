"""Where every listener failure ends: logged once, the person told kindly, never a traceback."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

from bot.i18n.catalog import t
from bot.services.deps import Deps

log = logging.getLogger("giveback")
UNHANDLED_HEADER = "x-giveback-unhandled"


async def handle_error(
    error: Exception,
    body: dict[str, Any],
    context: AsyncBoltContext,
    response: BoltResponse | None,
) -> BoltResponse | None:
    """Bolt's error handler, and the wrapper's (bot.slack.acking) for failures after the ack."""
    if isinstance(error, BoltUnhandledRequestError):
        return nothing_to_do(error.body)
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


def nothing_to_do(body: dict[str, Any]) -> BoltResponse:
    """200 for whatever Slack sends that no listener wants (``app_rate_limited``, an event or
    a dialog we do not use, a button from an old message): Bolt would answer 404, which
    Slack counts as a failure, retries, and shows people as "the app did not respond"."""
    kind = body.get("type") if isinstance(body, dict) else None
    event = body.get("event") if isinstance(body, dict) else None
    if isinstance(event, dict):
        kind = f"{kind}/{event.get('type')}"
    if kind == "app_rate_limited":
        # Slack stops delivering a team's events for a while when there are too many.
        log.warning("Slack is holding back events for team %s (rate limited)", body.get("team_id"))
    else:
        log.debug("nothing to do for a %s request", kind)
    # Slack ignores the header; the playground reads it to say "giveback has no such feature".
    return BoltResponse(status=200, body="", headers={UNHANDLED_HEADER: [str(kind)]})
