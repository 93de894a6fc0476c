"""Waiting out Slack's 429s where they apply, without holding up everything else.

Slack limits chat.postMessage per channel (about one message a second, short bursts) and every
other method per workspace (its tier). A 429 therefore holds back one *scope*: the channel for
a post, the method for anything else. Calls into a held-back scope wait until its Retry-After
has passed, and they wait outside the concurrency gate, so other channels keep moving.

They wait exactly Retry-After: slack_sdk's own handler adds up to a second of jitter to spread
a herd of retries, which at one post a second per channel would cost a third of the channel's
rate. Here there is no herd to spread: posts to one channel go one at a time (``deliver_all``
runs them in a lane), and a held-back scope is seen by every caller before it calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

T = TypeVar("T")
TRIES = 5  # 429s one call may get before it gives up (the next sweep sends it)
MAX_RETRY_AFTER = 60.0  # longer than this: give up now, the next sweep is 15 minutes away


def post_scope(channel: str) -> str:
    return f"channel:{channel}"


def method_scope(method: str) -> str:
    return f"method:{method}"


class Gate:
    """A semaphore that lets holders coming back from a rate-limit wait in before new ones.

    A delivery that lent its slot while waiting out a 429 is already under way (claimed, and
    its channel's next second is due): making it queue behind thousands of DMs not yet started
    would cost its channel most of its rate.
    """

    def __init__(self, size: int) -> None:
        self._free = size
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def acquire(self, *, returning: bool = False) -> None:
        if self._free > 0:
            self._free -= 1
            return
        handed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (0 if returning else 1, next(self._order), handed))
        try:
            await handed
        except asyncio.CancelledError:
            if handed.done() and not handed.cancelled():
                self.release()  # handed a slot just as we were cancelled: pass it on
            raise

    def release(self) -> None:
        while self._queue:
            _, _, waiter = heapq.heappop(self._queue)
            if not waiter.done():
                waiter.set_result(None)  # the slot goes straight to the waiter
                return
        self._free += 1


class Pacer:
    """At most ``concurrency`` deliveries at once; 429s hold back their scope, not the gate.

    Worst case a call waits ``TRIES * MAX_RETRY_AFTER`` (5 minutes) after its delivery was
    claimed, well inside the claim's lease (10 minutes), so no other sweep takes it over.
    """

    def __init__(
        self, concurrency: int, *, clock: Callable[[], float] = time.monotonic, tries: int = TRIES
    ) -> None:
        self._gate = Gate(concurrency)
        self._not_before: dict[str, float] = {}
        self._clock = clock
        self._tries = tries
        self.waits = 0  # 429s waited out, for logs and benchmarks

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self._gate.acquire()
        try:
            yield
        finally:
            self._gate.release()

    async def ready(self, scope: str) -> None:
        """Inside a slot: return once ``scope`` is not held back, lending the slot meanwhile."""
        while (wait := self._not_before.get(scope, 0.0) - self._clock()) > 0:
            self._gate.release()
            try:
                await asyncio.sleep(wait)
            finally:
                await self._gate.acquire(returning=True)

    async def call(self, scope: str, request: Callable[[], Awaitable[T]]) -> T:
        """Inside a slot: make one Web API call in ``scope``, waiting out up to TRIES 429s."""
        limited = 0
        while True:
            await self.ready(scope)
            try:
                return await request()
            except SlackApiError as exc:
                retry_after = _retry_after(exc)
                limited += 1
                if retry_after is None or retry_after > MAX_RETRY_AFTER or limited >= self._tries:
                    raise
                until = self._clock() + retry_after
                self._not_before[scope] = max(self._not_before.get(scope, 0.0), until)
                self.waits += 1


def _retry_after(exc: SlackApiError) -> float | None:
    """Seconds to wait if ``exc`` is a 429 (1 when Slack leaves Retry-After out)."""
    if exc.response.status_code != 429:
        return None
    headers = {k.lower(): v for k, v in (exc.response.headers or {}).items()}
    value = headers.get("retry-after", "1")
    value = value[0] if isinstance(value, list) else value
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0


def rate_limits_to_caller(client: AsyncWebClient) -> AsyncWebClient:
    """The same client (token, session, other retries) handing 429s back to the caller."""
    clone = copy.copy(client)
    clone.retry_handlers = [
        h for h in client.retry_handlers if not isinstance(h, AsyncRateLimitErrorRetryHandler)
    ]
    return clone
