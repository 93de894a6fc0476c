"""How log lines look: plain text (the default) or one JSON object per line, and the request
each line is about.

Every Slack request gets a :class:`RequestInfo` in a context variable for as long as it is
handled (``request_scope``, opened by the transport: bot.observe). Listener work after the ack
runs in tasks started from that context, so it inherits the same object: every line about one
request, from Bolt, slack_sdk or giveback, carries one request id. The request middleware
(bot.slack.middleware) fills in the workspace and the surface once Bolt has parsed the body.

Standard library only: ``JsonFormatter`` is a ``logging.Formatter`` (its time, exception and
stack formatting), writing through ``json.dumps``; ``RequestFilter`` is a ``logging.Filter``
that stamps each record with the request's fields.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

FORMATS = ("text", "json")


@dataclass
class RequestInfo:
    """The Slack request being handled: its id (ours, random), then what Bolt found in it."""

    request_id: str
    surface: str | None = None  # command, event, action, view, shortcut, options, oauth, ...
    team: str | None = None  # the installing workspace (Bolt's context.team_id)


_current: ContextVar[RequestInfo | None] = ContextVar("giveback_request", default=None)
# Request ids: this process's random prefix and a counter (unique across processes and
# restarts, and cheaper on the ack path than drawing random bytes for every request).
_PROCESS = secrets.token_hex(4)
_numbers = itertools.count(1)


def current_request() -> RequestInfo | None:
    return _current.get()


@contextlib.contextmanager
def request_scope() -> Iterator[RequestInfo]:
    """A new request id for the lines logged inside (and by tasks started inside)."""
    info = RequestInfo(f"{_PROCESS}-{next(_numbers):x}")
    token = _current.set(info)
    try:
        yield info
    finally:
        _current.reset(token)


class RequestFilter(logging.Filter):
    """Stamps every record with ``request_id``, ``team`` and ``surface`` (None outside a
    request). On the handler, so records from every logger get them."""

    def filter(self, record: logging.LogRecord) -> bool:
        info = _current.get()
        record.request_id = info.request_id if info else None
        record.team = info.team if info else None
        record.surface = info.surface if info else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, team, surface,
    request_id, and exception/stack when there is one. Newlines in a message stay inside
    its JSON string, so one record is always one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "team": getattr(record, "team", None),
            "surface": getattr(record, "surface", None),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _utc(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    return moment.replace("+00:00", "Z")


def apply(handler: logging.Handler, log_format: str) -> None:
    """Give ``handler`` the request fields, and the JSON formatter when asked for."""
    handler.addFilter(RequestFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
