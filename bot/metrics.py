"""Prometheus metrics (prometheus-client), built only when ``GIVEBACK_METRICS`` is on.

The lifespan (bot.server) builds one :class:`Metrics` and hands its pieces to the layers that
do the work, so none of them imports this module: the store gets a ``StoreObserver`` of
callbacks, the Web API session an aiohttp ``TraceConfig``, the scheduler an ``on_sweep``
callback, and the transport (bot.observe) calls :meth:`Metrics.request`. Cache hits are plain
counters on each cache, read only when Prometheus scrapes.

Labels are low-cardinality on purpose: surfaces, outcomes, Web API method names and HTTP
statuses. Never a user, channel or team id.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import aiohttp
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.exposition import choose_encoder

from bot.slack.delivery import FAILED, RECOVERED, SENT, SKIPPED, TAKEN
from storage import Store
from storage.observe import StoreObserver

if TYPE_CHECKING:
    from bot.jobs.sweep import SweepReport

log = logging.getLogger(__name__)
# Slack stops waiting at 3 s; most acks should land well under 100 ms.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
WRITE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
BATCH_BUCKETS = (
    1,
    2,
    4,
    8,
    16,
    32,
    64,
    128,
    256,
)  # storage.backends.sqlite_writer.MAX_BATCH is 256
SWEEP_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0)
GAUGE_EVERY = 5.0  # seconds an open-asks count read from the database serves scrapes
# A Web API method name as Slack spells them ("chat.postMessage"); anything else is "other".
METHOD_NAME = re.compile(r"[a-z]+(?:\.[a-zA-Z]+)+")
DELIVERY_OUTCOMES = (SENT, RECOVERED, TAKEN, SKIPPED, FAILED)


def outcome_of(status: int) -> str:
    """A request's outcome from the HTTP status Bolt answered with."""
    if status < 400:
        return "ok"
    if status == 401:
        return "unauthorized"  # signature or timestamp refused: a wrong signing secret, or forgery
    if status == 404:
        return "unhandled"  # no listener matched (Slack counts it as a failure)
    return "rejected" if status < 500 else "error"


class Metrics:
    """Every metric of one bot process, in a registry of its own."""

    def __init__(self, store: Store, slack_api_url: str) -> None:
        self.registry = CollectorRegistry()
        self._store = store
        self._api_url = slack_api_url
        self._open_asks_read = float("-inf")
        self._request_children: dict[tuple[str, int], tuple[Any, Any]] = {}
        self._call_children: dict[tuple[str, int], Any] = {}
        r = self.registry
        self._requests = Counter(
            "giveback_requests",
            "Slack requests answered, by surface and outcome",
            ["surface", "outcome"],
            registry=r,
        )
        self._ack = Histogram(
            "giveback_ack_seconds",
            "Time from a Slack request's arrival to its answer (the ack), by surface",
            ["surface"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self._writes = Histogram(
            "giveback_store_write_seconds",
            "Time one store write took, from the call to its commit",
            buckets=WRITE_BUCKETS,
            registry=r,
        )
        self._batches = Histogram(
            "giveback_store_batch_size",
            "Writes carried by one SQLite group commit",
            buckets=BATCH_BUCKETS,
            registry=r,
        )
        self._sweep = Histogram(
            "giveback_sweep_seconds",
            "Time one scheduled nudge sweep took",
            buckets=SWEEP_BUCKETS,
            registry=r,
        )
        self._planned = Counter(
            "giveback_sweep_messages_planned", "Messages the nudge sweeps planned", registry=r
        )
        self._delivered = Counter(
            "giveback_sweep_messages",
            "Messages the nudge sweeps delivered, by outcome (sent, recovered, taken, skipped, failed)",
            ["outcome"],
            registry=r,
        )
        self._slack = Counter(
            "giveback_slack_api_calls",
            "HTTP calls to Slack (each retry counts), by Web API method and HTTP status",
            ["method", "status"],
            registry=r,
        )
        self._open_asks = Gauge(
            "giveback_open_asks", "Open asks in every workspace together", registry=r
        )
        r.register(_CacheCollector(store))
        ProcessCollector(registry=r)

    # ---- what the layers report -------------------------------------------------------------

    def request(self, surface: str, status: int, seconds: float) -> None:
        # The labelled children, looked up once per (surface, status): on the ack path,
        # prometheus-client's labels() costs more than the increment itself.
        children = self._request_children.get((surface, status))
        if children is None:
            children = self._requests.labels(surface, outcome_of(status)), self._ack.labels(surface)
            self._request_children[surface, status] = children
        children[0].inc()
        children[1].observe(seconds)

    def sweep(self, report: SweepReport, seconds: float) -> None:
        self._sweep.observe(seconds)
        self._planned.inc(sum(len(plan.messages) for plan in report.plans))
        for outcome in report.outcomes().values():
            self._delivered.labels(outcome if outcome in DELIVERY_OUTCOMES else "other").inc()

    def store_observer(self) -> StoreObserver:
        return StoreObserver(write_seconds=self._writes.observe, batch_size=self._batches.observe)

    def slack_calls(self) -> list[aiohttp.TraceConfig]:
        """For the Web API session: count every HTTP exchange with Slack, retries included."""
        config = aiohttp.TraceConfig()
        config.on_request_end.append(self._on_call_end)
        config.on_request_exception.append(self._on_call_failed)
        return [config]

    def api_method(self, url: str) -> str:
        if not url.startswith(self._api_url):
            return "response_url"  # hooks.slack.com/...: the path holds ids and a secret
        name = url[len(self._api_url) :].split("?", 1)[0]
        return name if METHOD_NAME.fullmatch(name) else "other"

    async def _on_call_end(self, _session: Any, _ctx: Any, params: Any) -> None:
        key = (self.api_method(str(params.url)), params.response.status)
        counter = self._call_children.get(key)
        if counter is None:
            counter = self._call_children[key] = self._slack.labels(key[0], str(key[1]))
        counter.inc()

    async def _on_call_failed(self, _session: Any, _ctx: Any, params: Any) -> None:
        self._slack.labels(self.api_method(str(params.url)), "no_answer").inc()

    # ---- scraping ------------------------------------------------------------------------------

    async def exposition(self, accept: str | None) -> tuple[bytes, str]:
        """The page Prometheus scrapes (text format, or OpenMetrics when it asks), and its type."""
        await self._refresh_gauges()
        encode, content_type = choose_encoder(accept or "")
        return encode(self.registry), content_type

    async def _refresh_gauges(self) -> None:
        """Counted in the database, at most every few seconds however often it is scraped."""
        now = time.monotonic()
        if now - self._open_asks_read < GAUGE_EVERY:
            return
        self._open_asks_read = now
        try:
            self._open_asks.set(await self._store.asks.count_open_everywhere())
        except Exception as exc:  # the scrape still answers; readiness reports the database
            log.warning("open asks not counted: %s", type(exc).__name__)


class _CacheCollector:
    """Hit and miss counts of the store's caches, read at scrape time (hit rate: hit / all)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "giveback_cache_lookups",
            "Lookups in the store's in-memory caches, by cache and result (hit or miss)",
            labels=["cache", "result"],
        )
        for cache in self._store.caches():
            family.add_metric([cache.name, "hit"], cache.hits)
            family.add_metric([cache.name, "miss"], cache.misses)
        yield family
