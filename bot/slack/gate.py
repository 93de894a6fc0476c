"""The door of ``/slack/events``: a request without Slack's valid signature is turned away
before anything reads its body, and costs at most one short log line a minute.

Bolt parses a body (JSON nested 100,000 deep raises, a malformed timestamp header raises)
before it checks the signature, and logs the whole raw body of a request whose signature
fails, at INFO. So anyone on the internet could fill the log, forge lines in it, or buy a
traceback per request. Checked here first, with the same verifier Bolt uses, none of that
reaches Bolt; Bolt's own check still runs after this one and always passes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)
TIMESTAMP_DIGITS = 12  # unix seconds for the next 30,000 years; a longer stamp is not Slack's


class Throttled:
    """At most one line per ``every`` seconds about one kind of refusal, with a count.

    The first refusal is logged at once; the ones after it are counted and reported with the
    next line, so a flood costs one line a minute, not one per request.
    """

    def __init__(
        self,
        logger: logging.Logger,
        what: str,
        *,
        every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = logger
        self._what = what
        self._every = every
        self._clock = clock
        self._last: float | None = None
        self._unreported = 0

    def refused(self, detail: str = "") -> None:
        self._unreported += 1
        now = self._clock()
        if self._last is not None and now - self._last < self._every:
            return
        count, self._unreported, self._last = self._unreported, 0, now
        suffix = f" ({detail})" if detail else ""
        self._log.warning("refused %d %s%s", count, self._what, suffix)


def signed_only(signing_secret: str, path: str) -> Middleware:
    """An aiohttp middleware: POSTs to ``path`` need a valid Slack signature (else 401)."""
    verifier = SignatureVerifier(signing_secret)
    refusals = Throttled(log, "request(s) without a valid Slack signature")

    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != path:
            return await handler(request)
        body = await request.read()  # aiohttp keeps it: Bolt's adapter reads it again
        if not _signed(verifier, body, request.headers):
            refusals.refused()
            return web.json_response({"error": "invalid request"}, status=401)
        return await handler(request)

    return gate


def _signed(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> bool:
    stamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= TIMESTAMP_DIGITS):
        return False
    if not signature.startswith("v0="):
        return False
    try:
        return verifier.is_valid(body=body, timestamp=stamp, signature=signature)
    except (ValueError, UnicodeDecodeError):  # a body that is not UTF-8 was not signed by Slack
        return False
