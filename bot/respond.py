"""``respond()`` over one shared HTTP session, with the same retries as the Web API client.

Bolt's own ``AsyncRespond`` opens a new aiohttp session (and TCP/TLS connection) for every
post to a ``response_url`` and retries only connection errors. Under load that connection
set-up is most of the cost of announcing a thanks; a 429 or 500 from Slack would lose it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncRespond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

log = logging.getLogger(__name__)
RESPOND_TIMEOUT = 10


class SessionRespond(AsyncRespond):
    """Drop-in for Bolt's ``respond`` argument (same call signature)."""

    def __init__(
        self,
        *,
        response_url: str | None,
        session: aiohttp.ClientSession,
        retry_handlers: list[AsyncRetryHandler],
    ) -> None:
        super().__init__(response_url=response_url)
        self._session = session
        self._retry_handlers = retry_handlers

    async def __call__(self, text: str | dict[str, Any] = "", **kwargs: Any) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        client = AsyncWebhookClient(
            url=self.response_url,
            session=self._session,
            timeout=RESPOND_TIMEOUT,
            retry_handlers=self._retry_handlers,
        )
        message = (
            _build_message(**text)
            if isinstance(text, dict)
            else _build_message(text=text, **kwargs)
        )
        return await client.send_dict(message)


async def after_ack(step: Awaitable[Any], what: str) -> bool:
    """Run a step that follows ``ack()``; a failure is logged, never raised. True if it worked.

    Bolt forgets an ack when the listener raises within its ~10 ms ack-polling interval
    (``ack.response = None`` in its asyncio runner), so Slack got a 404 after 3 seconds and
    showed the person an error for a thanks that was recorded. After the ack nobody can be
    told through this request anyway.
    """
    try:
        await step
    except Exception as exc:
        log.warning("after the ack, %s failed: %s: %s", what, type(exc).__name__, exc)
        return False
    return True
