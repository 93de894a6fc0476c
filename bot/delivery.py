"""Sending scheduled messages exactly once: claim in the store, post with the key, mark sent.

A claim older than the lease belongs to a sweep that died. Before re-sending it we look
for the key in the channel's recent history (each message carries it in its metadata),
so a crash after posting but before marking never produces a second message.

The post itself is never retried blindly: a dropped connection or a 5xx may come after Slack
posted it, so those are left to a later sweep, which looks in the history first; a 429
(nothing was posted) waits in the pacer and goes again.

Many at once go in lanes, one per destination (a channel, or one person's DM), each lane in
order and the longest first; a 429 holds back only its channel or method (bot.pacing), so
5,000 DMs and a busy channel's posts all move at the rate Slack allows each of them.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.nudges import NudgeKey
from bot.pacing import Pacer, method_scope, post_scope, rate_limits_to_caller
from bot.render import Blocks
from storage.nudges import NudgeStore

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)  # longer than one send with retries, shorter than the sweep interval
EVENT_TYPE = "giveback_nudge"
GONE = ("user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot", "user_not_visible")
HISTORY_PAGES = 10
SENT, RECOVERED, TAKEN, SKIPPED, FAILED = "sent", "recovered", "taken", "skipped", "failed"


@dataclass
class Outgoing:
    """One scheduled message, rendered and keyed, ready to send."""

    key: NudgeKey
    text: str
    blocks: Blocks
    channel: str | None = None  # None: a DM to key.recipient_id
    after_sent: Callable[[], Awaitable[None]] | None = None

    @property
    def metadata(self) -> dict[str, Any]:
        return {"event_type": EVENT_TYPE, "event_payload": {"key": self.key.text}}

    @property
    def lane(self) -> str:
        """Where it goes: messages with one lane are sent one after another, in order."""
        return self.channel or f"dm:{self.key.recipient_id}"


async def deliver(
    client: AsyncWebClient,
    log_store: NudgeStore,
    out: Outgoing,
    *,
    now: datetime,
    pacer: Pacer,
    lease: timedelta = LEASE,
) -> str:
    """Send ``out`` unless it was (or is being) sent; return what happened.

    Call it inside ``pacer.slot()`` with a client that hands 429s back (``deliver_all`` does).
    """
    first = post_scope(out.channel) if out.channel else method_scope("conversations.open")
    await pacer.ready(first)  # not before the claim: a claim should not sit waiting
    claim = await log_store.claim(out.key, now=now, lease=lease)
    if claim is None:
        return TAKEN
    checked = not claim.uncertain
    try:
        channel = out.channel or await pacer.call(
            first, lambda: _open_dm(client, out.key.recipient_id)
        )
        if claim.uncertain:
            found = await pacer.call(
                method_scope("conversations.history"),
                lambda: find_sent(client, channel, out.key, since=claim.first_claimed_at),
            )
            checked = True
            if found is not None:
                await log_store.mark_sent(out.key, channel_id=channel, message_ts=found, now=now)
                log.info(
                    "nudge %s was already posted (ts %s): marked, not resent", out.key.text, found
                )
                return RECOVERED
        response = await pacer.call(
            post_scope(channel),
            lambda: _posting(client).chat_postMessage(
                channel=channel, text=out.text, blocks=out.blocks, metadata=out.metadata
            ),
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error", ""))
        # A 5xx (fatal_error: "some aspect of the operation may have succeeded") may have
        # posted it: the next try looks in the history first.
        maybe_posted = exc.response.status_code >= 500
        if error in GONE and out.channel is None:
            await log_store.mark_skipped(out.key, reason=error)
            log.info("nudge %s skipped: %s (the person left?)", out.key.text, error)
            return SKIPPED
        # Slack refused it (rate limit beyond retries, server error, missing channel): the
        # next sweep may claim it again straight away.
        await log_store.release(out.key, uncertain=maybe_posted or not checked, reason=error)
        log.warning("nudge %s not sent: %s; will retry next sweep", out.key.text, error)
        return FAILED
    except (TimeoutError, OSError, aiohttp.ClientError) as exc:
        # The post may or may not have arrived: keep the claim; after the lease the next
        # sweep checks the channel's history before sending again.
        log.warning("nudge %s: %s; outcome unknown, left to the next sweep", out.key.text, exc)
        return FAILED
    await log_store.mark_sent(
        out.key, channel_id=str(response["channel"]), message_ts=str(response["ts"]), now=now
    )
    if out.after_sent is not None:
        await out.after_sent()
    return SENT


async def deliver_all(
    client: AsyncWebClient,
    log_store: NudgeStore,
    messages: list[Outgoing],
    *,
    now: datetime,
    concurrency: int,
    lease: timedelta = LEASE,
) -> dict[NudgeKey, str]:
    """Send many, at most ``concurrency`` at once, each lane in order, the longest lanes first
    (they bound the total); 429s wait in their scope without holding a slot."""
    client = rate_limits_to_caller(client)
    pacer = Pacer(concurrency)
    lanes: dict[str, list[Outgoing]] = defaultdict(list)
    for out in messages:
        lanes[out.lane].append(out)
    outcomes: dict[NudgeKey, str] = {}

    async def run_lane(lane: list[Outgoing]) -> None:
        async with pacer.slot():  # held for the whole lane, lent out while it waits
            for out in lane:
                try:
                    outcomes[out.key] = await deliver(
                        client, log_store, out, now=now, pacer=pacer, lease=lease
                    )
                except Exception as exc:
                    # A claim left behind is retried after the lease, after a history check.
                    log.error("nudge %s failed: %r", out.key.text, exc, exc_info=exc)
                    outcomes[out.key] = FAILED

    ordered = sorted(lanes.values(), key=len, reverse=True)
    await asyncio.gather(*(run_lane(lane) for lane in ordered))
    if pacer.waits:
        log.info("delivery waited out %d rate limits", pacer.waits)
    return {out.key: outcomes[out.key] for out in messages}


async def find_sent(
    client: AsyncWebClient, channel: str, key: NudgeKey, *, since: datetime
) -> str | None:
    """The ts of a message in ``channel`` carrying ``key`` in its metadata, if there is one."""
    cursor: str | None = None
    oldest = f"{since.timestamp() - 60:.6f}"
    for _ in range(HISTORY_PAGES):
        response = await client.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
        )
        for message in response.get("messages", []):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == EVENT_TYPE and payload.get("key") == key.text:
                return str(message["ts"])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not response.get("has_more") or not cursor:
            return None
    return None


def _posting(client: AsyncWebClient) -> AsyncWebClient:
    """The same client (session, token, URL) with no retries of its own: 429s are the
    pacer's, and anything else may have posted already."""
    posting = copy.copy(client)
    posting.retry_handlers = []
    return posting


async def _open_dm(client: AsyncWebClient, user_id: str) -> str:
    response = await client.conversations_open(users=user_id)
    return str(response["channel"]["id"])
