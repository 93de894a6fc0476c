"""Socket Mode half of the fake Slack (see bot/fakeslack/).

Serves the WebSocket that `apps.connections.open` points at, like Slack's own: it greets each
connection with a `hello` message, pushes envelopes to the newest connection and matches the
client's acks (`{"envelope_id": ..., "payload": ...}`) back to the envelope that asked for them.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

JsonDict = dict[str, Any]


class SocketLink:
    """The `/link` WebSocket endpoint plus helpers to drive it from tests."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.connections: list[web.WebSocketResponse] = []
        self.received: list[JsonDict] = []  # every JSON message clients sent, in order
        self._pending: dict[str, asyncio.Future[JsonDict]] = {}
        self._connected = asyncio.Event()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)  # answers the SDK's pings with pongs
        await ws.prepare(request)
        self.connections.append(ws)
        await ws.send_json(self._hello())
        self._connected.set()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_text(msg.data)
        finally:
            self.connections.remove(ws)
            if not self.connections:
                self._connected.clear()
        return ws

    async def wait_connected(self, timeout: float = 5.0) -> None:
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"no Socket Mode client connected within {timeout}s") from None

    async def push(self, envelope: JsonDict, timeout: float = 5.0) -> JsonDict:
        """Send `envelope` (an `envelope_id` is added if missing) and return the client's ack."""
        await self.wait_connected(timeout)
        envelope = {"envelope_id": str(uuid.uuid4()), **envelope}
        envelope_id = str(envelope["envelope_id"])
        ack: asyncio.Future[JsonDict] = asyncio.get_running_loop().create_future()
        self._pending[envelope_id] = ack
        try:
            await self.connections[-1].send_json(envelope)
            return await asyncio.wait_for(ack, timeout)
        except TimeoutError:
            raise AssertionError(
                f"no ack for {envelope.get('type')} envelope {envelope_id} within {timeout}s; "
                f"last messages from the client: {self.received[-3:]}"
            ) from None
        finally:
            self._pending.pop(envelope_id, None)

    async def close(self) -> None:
        for ws in list(self.connections):
            await ws.close(code=WSCloseCode.GOING_AWAY)
        for ack in self._pending.values():
            ack.cancel()

    def _hello(self) -> JsonDict:
        return {
            "type": "hello",
            "num_connections": len(self.connections),
            "debug_info": {
                "host": "fake-applink",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _on_text(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        self.received.append(message)
        ack = self._pending.pop(str(message.get("envelope_id")), None)
        if ack is not None and not ack.done():
            ack.set_result(message)
