"""Signed requests as Slack sends them: slash commands, events and interactions.

The end-to-end tests and the playground both drive the real app through this, over HTTP,
so Bolt's signature verification runs exactly as it does in production.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot.slack.failures import UNHANDLED_HEADER

_ids = itertools.count(1)


@dataclass(frozen=True)
class Reply:
    status: int
    text: str
    unhandled: bool = False  # 200, but no listener wanted it (bot.slack.failures.nothing_to_do)

    @property
    def handled(self) -> bool:
        """Some listener answered (Bolt says 404 when none does, giveback 200 with a header)."""
        return self.status != 404 and not self.unhandled

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


class SignedSender:
    """Posts to the app's ``/slack/events`` endpoint, signed with the signing secret."""

    def __init__(
        self,
        url: str,
        signing_secret: str,
        *,
        team_id: str = "T0001",
        api_app_id: str = "A0001",
        clock: Callable[[], float] = time.time,
        keep_alive: bool = True,
    ) -> None:
        self.url = url
        # Without keep-alive no connection outlives its request, so "the app is idle" is
        # simply "no tasks left running" (the playground waits for exactly that).
        self.keep_alive = keep_alive
        self.team_id = team_id
        self.api_app_id = api_app_id
        self._verifier = SignatureVerifier(signing_secret)
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def command(
        self,
        command: str,
        text: str,
        *,
        user_id: str,
        channel_id: str = "C0001",
        response_url: str = "",
        trigger_id: str | None = None,
        team_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        form = {
            "token": "legacy-verification-token",
            "team_id": team_id or self.team_id,
            "team_domain": "example",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "response_url": response_url,
            "trigger_id": trigger_id or f"{next(_ids)}.{int(self._clock())}.trigger",
        }
        return await self.post(
            urlencode(form), "application/x-www-form-urlencoded", headers=headers
        )

    def event_body(
        self, event: dict[str, Any], *, event_id: str | None = None, team_id: str | None = None
    ) -> dict[str, Any]:
        return {
            "token": "legacy-verification-token",
            "team_id": team_id or self.team_id,
            "api_app_id": self.api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(self._clock()),
            "authorizations": [
                {"team_id": team_id or self.team_id, "user_id": "UBOT", "is_bot": True}
            ],
        }

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        team_id: str | None = None,
    ) -> Reply:
        body = self.event_body(event, event_id=event_id, team_id=team_id)
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(body), "application/json", headers=headers)

    async def interaction(self, payload: dict[str, Any]) -> Reply:
        payload.setdefault("team", {"id": self.team_id, "domain": "example"})
        payload.setdefault("api_app_id", self.api_app_id)
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> Reply:
        """Post ``body`` signed (override ``timestamp``/``signature`` to forge or age it)."""
        stamp = str(timestamp if timestamp is not None else int(self._clock()))
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            # generate_signature answers None only when given no timestamp
            "X-Slack-Signature": signature
            or self._verifier.generate_signature(timestamp=stamp, body=body)
            or "",
            **(headers or {}),
        }
        if self._session is None:
            connector = aiohttp.TCPConnector(force_close=not self.keep_alive)
            self._session = aiohttp.ClientSession(connector=connector)
        async with self._session.post(self.url, data=body.encode(), headers=sent) as response:
            unhandled = UNHANDLED_HEADER in response.headers
            return Reply(response.status, await response.text(), unhandled)
