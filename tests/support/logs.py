"""The log as `giveback run` writes it: configure_logging's handler, into a buffer."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator

import pytest

from bot import redaction
from bot.config import configure_logging


@contextlib.contextmanager
def configured(log_format: str = "text") -> Iterator[io.StringIO]:
    """configure_logging at DEBUG in ``log_format``, its output in a buffer; undone after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("DEBUG", log_format)
    buffer = io.StringIO()
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(buffer)
    try:
        yield buffer
    finally:
        redaction.uninstall()
        for handler in root.handlers[:]:
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """The text log of `giveback run` at DEBUG."""
    with configured() as buffer:
        yield buffer
