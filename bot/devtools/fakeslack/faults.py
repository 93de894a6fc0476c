"""Injected misbehaviour: failures queued per method, and a per-channel rate limit."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from aiohttp import web

from bot.devtools.fakeslack.web_api import err

_STATUS_ERRORS = {429: "ratelimited", 500: "fatal_error", 503: "service_unavailable"}


@dataclass
class Failure:
    status: int
    times: int
    retry_after: int | None
    error: str | None  # answer 200 with {"ok": false, "error": error}
    hang: float | None  # seconds to hold the request before answering
    drop: bool = False  # carry the call out, then close the connection without an answer


@dataclass(frozen=True)
class Delay:
    seconds: float
    applied: bool  # the call takes effect before the wait: only the answer is late
    after: int = 0  # the first ``after`` calls to the method are answered on time


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class Faults:
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    rate: tuple[float, int] | None = None  # (per second, burst) for chat.postMessage
    buckets: dict[str, _Bucket] = field(default_factory=dict)
    delays: dict[str, Delay] = field(default_factory=dict)
    method_rates: dict[str, tuple[float, int]] = field(default_factory=dict)  # workspace-wide

    def add(self, method: str, failure: Failure) -> None:
        self.failures.setdefault(method, []).append(failure)

    def take(self, method: str) -> Failure | None:
        """The failure the next call to `method` gets, if one is queued."""
        queue = self.failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def limit(self, per_second: float, burst: int) -> None:
        self.rate = (per_second, burst)
        self.buckets.clear()

    def limit_method(self, method: str, per_second: float, burst: int) -> None:
        self.method_rates[method] = (per_second, burst)
        self.buckets.pop(f"method:{method}", None)

    def rate_limited(self, channel: str, now: float) -> int | None:
        """Retry-After seconds if one more post to `channel` exceeds its bucket."""
        if self.rate is None:
            return None
        return self._take(channel, self.rate, now)

    def method_limited(self, method: str, now: float) -> int | None:
        """Retry-After seconds if one more call to `method` exceeds the workspace's bucket."""
        rate = self.method_rates.get(method)
        return None if rate is None else self._take(f"method:{method}", rate, now)

    def _take(self, name: str, rate: tuple[float, int], now: float) -> int | None:
        per_second, burst = rate
        bucket = self.buckets.setdefault(name, _Bucket(burst, now))
        bucket.tokens = min(burst, bucket.tokens + max(0.0, now - bucket.updated) * per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return max(1, math.ceil((1 - bucket.tokens) / per_second))


def status_response(status: int, retry_after: int | None) -> web.Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    body = err(_STATUS_ERRORS.get(status, "request_failed"))
    return web.json_response(body, status=status, headers=headers)
