"""Whether a scheduled message is already in a channel: its key, in the message's metadata.

Every scheduled message carries its key (``metadata.event_payload.key``); a claim left by a
sweep that died is checked here before anything is sent again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.nudges import NudgeKey

EVENT_TYPE = "giveback_nudge"
HISTORY_PAGES = 10  # of 200 messages: conversations.history is Tier 3 (~50 calls a minute)


def metadata(key: NudgeKey) -> dict[str, Any]:
    """What a scheduled message carries so that :func:`find_sent` can find it."""
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key.text}}


class HistoryTooLong(Exception):
    """More messages arrived since the claim than the history check reads: whether the
    message was posted cannot be told."""


async def find_sent(
    client: AsyncWebClient, channel: str, key: NudgeKey, *, since: datetime
) -> str | None:
    """The ts of a message in ``channel`` carrying ``key`` in its metadata; None if there is
    none; HistoryTooLong when there are more messages since ``since`` than it reads."""
    cursor: str | None = None
    oldest = f"{since.timestamp() - 60:.6f}"
    for _ in range(HISTORY_PAGES):
        response = await client.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
        )
        messages: list[dict[str, Any]] = response.get("messages", [])
        for message in messages:
            carried = message.get("metadata") or {}
            payload = carried.get("event_payload") or {}
            if carried.get("event_type") == EVENT_TYPE and payload.get("key") == key.text:
                return str(message["ts"])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not response.get("has_more") or not cursor:
            return None
    raise HistoryTooLong(channel)
