"""Sending scheduled messages exactly once: claim in the store, post with the key, mark sent.

A claim older than the lease belongs to a sweep that died. Before re-sending it we look
for the key in the channel's recent history (each message carries it in its metadata),
so a crash after posting but before marking never produces a second message.

The post itself is never retried blindly: a dropped connection or a 5xx may come after Slack
posted it, so those are left to a later sweep, which looks in the history first; a 429
(nothing was posted) waits in the pacer and goes again.

Many at once go in lanes, one per destination (a channel, or one person's DM), each lane in
order and the longest first; a 429 holds back only its channel or method (bot.slack.pacing), so
5,000 DMs and a busy channel's posts all move at the rate Slack allows each of them.

A DM needs its channel id (to post, and to look in the history): conversations.open is Tier 3,
so its answer is remembered per person (storage.dm_channels) and later sweeps skip it. A post
that finds the remembered channel gone (STALE) drops it and opens the DM again, once.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.nudges import NudgeKey
from bot.slack.history import HISTORY_PAGES, HistoryTooLong, find_sent, metadata
from bot.slack.pacing import Pacer, method_scope, post_scope, rate_limits_to_caller
from bot.views.blocks import Blocks
from storage.dm_channels import DmChannelStore
from storage.nudges import Claim, NudgeStore

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)  # longer than one send with retries, shorter than the sweep interval
GONE = ("user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot", "user_not_visible")
# chat.postMessage / conversations.history on a remembered DM channel that is no longer usable
# (Slack's OpenAPI for chat.postMessage): nothing was posted, so opening it again is safe.
STALE = ("channel_not_found", "is_archived", "not_in_channel")
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
        return metadata(self.key)

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
    dm_channels: DmChannelStore,
    lease: timedelta = LEASE,
) -> str:
    """Send ``out`` unless it was (or is being) sent; return what happened.

    A DM goes to the channel remembered in ``dm_channels``, or one opened (and remembered) now.
    Call it inside ``pacer.slot()`` with a client that hands 429s back (``deliver_all`` does).
    """
    team, person = out.key.team_id, out.key.recipient_id
    remembered = None if out.channel else await dm_channels.get(team, person)
    claim = await _claim(
        log_store, out, out.channel or remembered, now=now, pacer=pacer, lease=lease
    )
    if claim is None:
        return TAKEN
    attempt = _Attempt(
        client, log_store, dm_channels, pacer, out, claim, now=now, remembered=remembered
    )
    try:
        channel, ts = await attempt.send()
    except HistoryTooLong:
        return await _skip_unknowable(log_store, out)
    except SlackApiError as exc:
        return await _classify_refusal(attempt, exc)
    except (TimeoutError, OSError, aiohttp.ClientError) as exc:
        # The post may or may not have arrived: keep the claim; after the lease the next
        # sweep checks the channel's history before sending again.
        log.warning("nudge %s: %s; outcome unknown, left to the next sweep", out.key.logged, exc)
        return FAILED
    if ts is None:
        log.info("nudge %s was already posted: marked, not resent", out.key.logged)
        return RECOVERED
    await log_store.mark_sent(out.key, channel_id=channel, message_ts=ts, now=now)
    if out.after_sent is not None:
        await out.after_sent()
    return SENT


async def _claim(
    log_store: NudgeStore,
    out: Outgoing,
    known: str | None,
    *,
    now: datetime,
    pacer: Pacer,
    lease: timedelta,
) -> Claim | None:
    """Claim ``out`` once its first call may go (a post to ``known``, or opening the DM);
    None when someone else holds it or it was sent."""
    first = post_scope(known) if known else method_scope("conversations.open")
    await pacer.ready(first)  # not before the claim: a claim should not sit waiting
    return await log_store.claim(out.key, now=now, lease=lease)


@dataclass
class _Attempt:
    """One claimed message on its way out: resolve the channel, check the history when the
    claim is uncertain, post, and reopen a stale remembered DM once."""

    client: AsyncWebClient
    log_store: NudgeStore
    dm_channels: DmChannelStore
    pacer: Pacer
    out: Outgoing
    claim: Claim
    now: datetime
    remembered: str | None
    # False while an uncertain claim has not been looked for in the channel it goes to.
    checked: bool = field(init=False)

    def __post_init__(self) -> None:
        self.checked = not self.claim.uncertain

    async def send(self) -> tuple[str, str | None]:
        """(channel, ts) of the post, or (channel, None) if the history shows it was there."""
        channel = self.out.channel or self.remembered or await self.open_dm()
        try:
            return await self.send_to(channel)
        except SlackApiError as exc:
            if channel != self.remembered or _error(exc) not in STALE:
                raise
            return await self.reopen_stale_dm(channel, _error(exc))

    async def reopen_stale_dm(self, stale: str, error: str) -> tuple[str, str | None]:
        # The remembered DM is no longer ours to post in (these errors mean nothing was
        # posted): forget it, open the conversation again, once. A new id means a history
        # check in the old one proves nothing there.
        person = self.out.key.recipient_id
        await self.dm_channels.forget(self.out.key.team_id, person, stale)
        log.info("a remembered DM channel is %s: opening it again", error)
        reopened = await self.open_dm()
        self.checked = self.checked and (reopened == stale or not self.claim.uncertain)
        return await self.send_to(reopened)

    async def open_dm(self) -> str:
        person = self.out.key.recipient_id
        channel = await self.pacer.call(
            method_scope("conversations.open"), lambda: _open_dm(self.client, person)
        )
        await self.dm_channels.remember(self.out.key.team_id, person, channel, now=self.now)
        return channel

    async def send_to(self, channel: str) -> tuple[str, str | None]:
        """Post to ``channel``; (channel, ts), or (channel, None) if it was there already."""
        if not self.checked:
            found = await self.check_history(channel)
            if found is not None:
                await self.log_store.mark_sent(
                    self.out.key, channel_id=channel, message_ts=found, now=self.now
                )
                return channel, None
        return await self.post(channel)

    async def check_history(self, channel: str) -> str | None:
        found = await self.pacer.call(
            method_scope("conversations.history"),
            lambda: find_sent(
                self.client, channel, self.out.key, since=self.claim.first_claimed_at
            ),
        )
        self.checked = True
        return found

    async def post(self, channel: str) -> tuple[str, str]:
        out = self.out
        response = await self.pacer.call(
            post_scope(channel),
            lambda: _posting(self.client).chat_postMessage(
                channel=channel, text=out.text, blocks=out.blocks, metadata=out.metadata
            ),
        )
        return str(response["channel"]), str(response["ts"])


async def _skip_unknowable(log_store: NudgeStore, out: Outgoing) -> str:
    """Never twice: when nobody can tell whether it was posted, it is not posted again."""
    await log_store.mark_skipped(out.key, reason="history too long to check")
    log.warning(
        "nudge %s may have been posted already (over %d messages since); not resent",
        out.key.logged,
        HISTORY_PAGES * 200,
    )
    return SKIPPED


async def _classify_refusal(attempt: _Attempt, exc: SlackApiError) -> str:
    """Slack answered with an error: skip a DM to someone gone, else release the claim."""
    out, error = attempt.out, _error(exc)
    # A 5xx (fatal_error: "some aspect of the operation may have succeeded") may have
    # posted it: the next try looks in the history first.
    maybe_posted = exc.response.status_code >= 500
    if error in GONE and out.channel is None:
        await attempt.log_store.mark_skipped(out.key, reason=error)
        log.info("nudge %s skipped: %s (the person left?)", out.key.logged, error)
        return SKIPPED
    # Slack refused it (rate limit beyond retries, server error, missing channel): the
    # next sweep may claim it again straight away.
    await attempt.log_store.release(
        out.key, uncertain=maybe_posted or not attempt.checked, reason=error
    )
    log.warning("nudge %s not sent: %s; will retry next sweep", out.key.logged, error)
    return FAILED


async def deliver_all(
    client: AsyncWebClient,
    log_store: NudgeStore,
    messages: list[Outgoing],
    *,
    now: datetime,
    concurrency: int,
    dm_channels: DmChannelStore,
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
                        client,
                        log_store,
                        out,
                        now=now,
                        pacer=pacer,
                        dm_channels=dm_channels,
                        lease=lease,
                    )
                except Exception as exc:
                    # A claim left behind is retried after the lease, after a history check.
                    log.error("nudge %s failed: %r", out.key.logged, exc, exc_info=exc)
                    outcomes[out.key] = FAILED

    ordered = sorted(lanes.values(), key=len, reverse=True)
    await asyncio.gather(*(run_lane(lane) for lane in ordered))
    if pacer.waits:
        log.info("delivery waited out %d rate limits", pacer.waits)
    return {out.key: outcomes[out.key] for out in messages}


def _posting(client: AsyncWebClient) -> AsyncWebClient:
    """The same client (session, token, URL) with no retries of its own: 429s are the
    pacer's, and anything else may have posted already."""
    posting = copy.copy(client)
    posting.retry_handlers = []
    return posting


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error", ""))


async def _open_dm(client: AsyncWebClient, user_id: str) -> str:
    response = await client.conversations_open(users=user_id)
    return str(response["channel"]["id"])
