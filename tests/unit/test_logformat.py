"""The JSON log format: one object per line, with the request's id, workspace and surface."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logformat import apply, current_request, request_scope


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    apply(handler, "json")
    logger = logging.getLogger("tests.logformat")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, out
    logger.removeHandler(handler)
    logger.propagate = True


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_record_is_one_json_object_with_the_request_fields(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = captured
    logger.info("outside any request")
    with request_scope() as info:
        info.team, info.surface = "T0001", "command"
        logger.warning("a note with\na newline and %s", "日本語")
    outside, inside = lines(out)
    assert outside["request_id"] is None and outside["team"] is None
    assert set(inside) == {"time", "level", "logger", "message", "team", "surface", "request_id"}
    assert inside["message"] == "a note with\na newline and 日本語"
    assert (inside["level"], inside["logger"]) == ("WARNING", "tests.logformat")
    assert (inside["team"], inside["surface"]) == ("T0001", "command")
    assert inside["request_id"] == info.request_id
    assert str(inside["time"]).endswith("Z")


def test_an_exception_stays_inside_its_line(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = captured
    try:
        raise ValueError("broken")
    except ValueError:
        logger.exception("failed")
    [line] = lines(out)
    assert "ValueError: broken" in str(line["exception"])


async def test_tasks_started_in_a_request_keep_its_id() -> None:
    async def later() -> str | None:
        await asyncio.sleep(0)
        found = current_request()
        return found.request_id if found else None

    with request_scope() as info:
        task = asyncio.ensure_future(later())
    assert current_request() is None
    assert await task == info.request_id
