"""``respond()`` over one shared HTTP session, with the same retries as the Web API client,
and a fallback through the Web API when the response URL refuses.

Bolt's own ``AsyncRespond`` opens a new aiohttp session (and TCP/TLS connection) for every
post to a ``response_url`` and retries only connection errors. Under load that connection
set-up is most of the cost of announcing a thanks; a 429 or 500 from Slack would lose it.
The post itself is a plain aiohttp request driven by slack_sdk's retry handlers: building a
``AsyncWebhookClient`` per post (it reads the proxy variables and the user agent each time)
cost as much again as the request on the bot's event loop.

A response URL lasts 30 minutes (and five uses): a button pressed later than that got a 404,
and the reply was lost without a word. Now a refused reply is posted with the Web API instead
(chat.postEphemeral to the person, or chat.postMessage for an in-channel one), when the
request named a channel and a person.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncRespond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.internal_utils import get_user_agent
from slack_sdk.webhook import WebhookResponse

log = logging.getLogger(__name__)
RESPOND_TIMEOUT = aiohttp.ClientTimeout(total=10)
HEADERS = {"Content-Type": "application/json;charset=utf-8", "User-Agent": get_user_agent()}


@dataclass(frozen=True)
class WebApiFallback:
    """Where a refused reply goes instead: the request's channel, for the person who acted."""

    client: AsyncWebClient
    channel_id: str
    user_id: str

    async def post(self, message: dict[str, Any]) -> bool:
        """Post ``message`` through the Web API; False if there is nothing to post or Slack
        refuses it too (the bot not in the channel, say)."""
        if message.get("delete_original"):
            return False  # nothing to show in its place
        content = {"text": message.get("text", ""), "blocks": message.get("blocks")}
        try:
            if message.get("response_type") == "in_channel":
                await self.client.chat_postMessage(channel=self.channel_id, **content)
            else:
                await self.client.chat_postEphemeral(
                    channel=self.channel_id, user=self.user_id, **content
                )
        except SlackApiError as exc:
            log.info("fallback for a refused reply failed too: %s", exc.response.get("error"))
            return False
        return True


class SessionRespond(AsyncRespond):
    """Drop-in for Bolt's ``respond`` argument (same call signature)."""

    def __init__(
        self,
        *,
        response_url: str | None,
        session: aiohttp.ClientSession,
        retry_handlers: list[AsyncRetryHandler],
        fallback: WebApiFallback | None = None,
    ) -> None:
        super().__init__(response_url=response_url)
        self._session = session
        self._retry_handlers = retry_handlers
        self._fallback = fallback

    async def __call__(
        self,
        text: str | dict[Any, Any] = "",
        blocks: Sequence[dict[Any, Any] | Block] | None = None,
        attachments: Sequence[dict[Any, Any] | Attachment] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        if isinstance(text, dict):
            message = _build_message(**text)  # the whole message; the other arguments are unused
        else:
            message = _build_message(
                text=text,
                blocks=blocks,
                attachments=attachments,
                response_type=response_type,
                replace_original=replace_original,
                delete_original=delete_original,
                unfurl_links=unfurl_links,
                unfurl_media=unfurl_media,
                thread_ts=thread_ts,
                metadata=metadata,
            )
        answer = await post_message(self._session, self.response_url, message, self._retry_handlers)
        if answer.status_code < 400:
            return answer
        log.warning("response_url answered %d: %.200s", answer.status_code, answer.body)
        if self._fallback is not None and await self._fallback.post(message):
            return WebhookResponse(
                url=self.response_url, status_code=200, body="ok (Web API)", headers={}
            )
        return answer  # refused, as Bolt's respond returns it


async def post_message(
    session: aiohttp.ClientSession,
    url: str,
    message: dict[str, Any],
    retry_handlers: list[AsyncRetryHandler],
) -> WebhookResponse:
    """POST ``message`` as JSON; retry as the handlers allow (429 Retry-After, 5xx, resets).

    Like slack_sdk's webhook client: an error status that is not retried is returned, not
    raised; a connection error that is not retried is raised.
    """
    body = json.dumps(message)
    state = RetryState()
    request = HttpRequest(method="POST", url=url, headers=HEADERS, body_params=message)
    while True:
        state.next_attempt_requested = False
        response: HttpResponse | None = None
        error: Exception | None = None
        try:
            async with session.post(
                url, data=body, headers=HEADERS, timeout=RESPOND_TIMEOUT
            ) as res:
                text = await res.text()
                answer = WebhookResponse(
                    url=url, status_code=res.status, body=text, headers=dict(res.headers)
                )
                if res.status < 400:
                    return answer
                response = HttpResponse(
                    status_code=res.status, headers=dict(res.headers), data=text.encode()
                )
        except Exception as exc:
            error = exc
        for handler in retry_handlers:
            if await handler.can_retry_async(
                state=state, request=request, response=response, error=error
            ):
                await handler.prepare_for_next_attempt_async(
                    state=state, request=request, response=response, error=error
                )
                break
        if not state.next_attempt_requested:
            if error is not None:
                raise error
            return answer


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
