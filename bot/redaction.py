"""Every log record, from every logger at every level, leaves with its secrets redacted and on
one line.

Installed once by :func:`bot.config.configure_logging`, as a wrapper around the log record
factory rather than a filter on some handlers: a factory sees every record before any handler
or formatter does (ours, a JSON formatter, pytest's capture), whichever logger made it.

What it does to each record:
- Slack tokens (``xoxb-``, ``xoxp-``, ``xapp-``, ``xoxe-`` refresh tokens, ...), values of keys
  named like secrets (``client_secret``, ``access_token``, OAuth ``code`` and ``state``) and any value
  :func:`remember` was given (the signing secret, the client secret, the sealing keys) become
  ``[redacted]``. slack_sdk logs ``oauth.v2.access``'s whole answer at DEBUG, bot token included.
- Line breaks and other control characters in the message and in string arguments are escaped
  (``\\n``), so nothing a person typed can start a forged line; a traceback (``exc_text``) keeps
  its lines, and it is redacted too. With JSON logs, which escape line breaks themselves, only
  what JSON leaves as it is (C1 controls, Unicode line separators, bidi overrides) is escaped.
- A string argument longer than :data:`ARG_LIMIT` is cut, and so is a message at INFO or above
  longer than :data:`MESSAGE_LIMIT`: a log line costs at most a few kilobytes, whoever chose its
  contents. DEBUG keeps whole messages (slack_sdk's request and response bodies), redacted.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

ARG_LIMIT = 500
MESSAGE_LIMIT = 4000
REDACTED = "[redacted]"

# Slack's token families: bot, user, app-level, legacy workspace/refresh/rotating tokens.
SLACK_TOKEN = re.compile(r"\b(?:xox[abeoprs]|xapp)(?:\.xox[a-z])?-[A-Za-z0-9.\-]+")
# "key": "value", key=value, 'key': 'value' for keys that name a secret.
SECRET_FIELD = re.compile(
    r"""(?P<key>["']?\b(?:client_secret|signing_secret|secret|password|access_token|"""
    r"""refresh_token|bot_token|user_token|app_token|token|code|state)["']?\s*[:=]\s*\[?["']?)"""
    r"""(?P<value>[^"'\s,&}\]]{4,})""",
    re.IGNORECASE,
)
# C0/C1 controls, line and paragraph separators, and bidi overrides that can disguise a line.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What JSON leaves as it is (it escapes C0 controls itself), yet splits or disguises a line.
UNPRINTABLE_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

_known: set[str] = set()
_unprintable = UNPRINTABLE  # UNPRINTABLE_IN_JSON for JSON logs


def remember(*secrets: str | None) -> None:
    """Redact these exact values too (secrets that have no recognisable shape)."""
    _known.update(s for s in secrets if s and len(s) >= 6)


def redact(text: str) -> str:
    """``text`` with every token, secret field and remembered secret replaced."""
    text = SLACK_TOKEN.sub(REDACTED, text)
    text = SECRET_FIELD.sub(lambda m: m.group("key") + REDACTED, text)
    for secret in _known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def one_line(text: str) -> str:
    """Control characters as visible escapes: ``\\n``, ``\\r``, ``\\x1b``, ``\\u2028``."""
    return _unprintable.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r"}
    if char in named:
        return named[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…[{len(text) - limit} more characters]"


def _clean_arg(value: Any) -> Any:
    """Numbers stay numbers (for ``%d``); everything else becomes clean text (for ``%s``)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    return _cut(one_line(redact(str(value))), ARG_LIMIT)


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Redact, escape and cap one record in place (see the module docstring)."""
    args = record.args
    if isinstance(args, Mapping):
        record.args = {key: _clean_arg(value) for key, value in args.items()}
    elif isinstance(args, tuple):
        record.args = tuple(_clean_arg(value) for value in args)
    if isinstance(record.msg, str):
        message = one_line(redact(record.msg))
        record.msg = _cut(message, MESSAGE_LIMIT) if record.levelno >= logging.INFO else message
    elif record.msg is not None:
        record.msg = one_line(redact(str(record.msg)))
    if record.exc_info:
        # Formatted now and redacted; the exception itself is dropped so that no formatter
        # (text, JSON) formats it again unredacted: they all fall back to exc_text.
        if not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install(*, escape_lines: bool = True) -> None:
    """Wrap the record factory once (calling it again changes nothing). ``escape_lines``
    False: leave line breaks and other C0 controls to a formatter that escapes them (JSON)."""
    global _unprintable
    _unprintable = UNPRINTABLE if escape_lines else UNPRINTABLE_IN_JSON
    current = logging.getLogRecordFactory()
    if getattr(current, "redacting", False):
        return
    logging.setLogRecordFactory(_redacting(current))


def uninstall() -> None:
    """Back to the factory that was there before :func:`install` (tests)."""
    global _unprintable
    _unprintable = UNPRINTABLE
    current = logging.getLogRecordFactory()
    original = getattr(current, "wrapped", None)
    if original is not None:
        logging.setLogRecordFactory(original)
    _known.clear()


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            return scrub(record)
        except Exception:  # a record that cannot be cleaned still must not break the caller
            record.msg, record.args = "(a log record that could not be redacted)", ()
            record.exc_info = record.exc_text = None
            return record

    make.redacting = True  # type: ignore[attr-defined]
    make.wrapped = factory  # type: ignore[attr-defined]
    return make
