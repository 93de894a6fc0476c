"""bot.redaction: secrets out and one line per record, from any logger at any level."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot import redaction
from tests.support.logs import configured, log_output

__all__ = ["log_output"]  # the fixture

TOKENS = [
    "xoxb-1234-5678-AbCdEf",
    "xoxp-1-2-3-abc",
    "xapp-1-A0001-123-abcdef",
    "xoxe.xoxp-1-Mi0yLTEyMw",
    "xoxe-1-My0xLTIzNA-abc",
]


@pytest.mark.parametrize("token", TOKENS)
def test_every_kind_of_slack_token_is_redacted(token: str) -> None:
    assert token not in redaction.redact(f"body: {{'ok': True, 'access_token': '{token}'}}")
    assert token not in redaction.redact(f"Authorization: Bearer {token}")


def test_fields_named_like_secrets_are_redacted_whatever_their_value() -> None:
    text = "data: {'code': 'c0de-123', 'client_secret': 'abcdef123456', 'token_type': 'bot'}"
    cleaned = redaction.redact(text)
    assert "c0de-123" not in cleaned and "abcdef123456" not in cleaned
    assert "'token_type': 'bot'" in cleaned  # a field that only mentions tokens stays


def test_every_logger_at_every_level_is_redacted(log_output: io.StringIO) -> None:
    redaction.remember("my-signing-secret-1234")
    token = "xoxb-T0002-99-SeCrEt"
    for name in ("slack_sdk.web.async_base_client", "slack_bolt.App", "giveback", "aiohttp"):
        logger = logging.getLogger(name)
        logger.debug("Received the following response - body: {'access_token': '%s'}", token)
        logger.info(f"f-string {token}")
        logger.warning("secret %s", "my-signing-secret-1234")
        try:
            raise RuntimeError(f"failed with {token}")
        except RuntimeError:
            logger.exception("it broke")
    written = log_output.getvalue()
    assert "it broke" in written and "Traceback" in written  # logged, tracebacks kept
    assert token not in written and "my-signing-secret-1234" not in written
    assert written.count("[redacted]") >= 16


def test_user_text_cannot_start_a_line(log_output: io.StringIO) -> None:
    forged = "hi\n2026-01-01 ERROR giveback settings saved FORGED\r\x1b[31m\u2028x"
    logging.getLogger("giveback").info("note=%s", forged)
    logging.getLogger("slack_bolt.App").info(f"body: {forged}")
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 2
    assert all("FORGED" in line and "\\n" in line and "\\x1b" in line for line in lines)


def test_long_values_are_cut(log_output: io.StringIO) -> None:
    logging.getLogger("giveback").info("text=%s", "y" * 100_000)
    logging.getLogger("slack_bolt.App").warning("z" * 100_000)
    written = log_output.getvalue()
    assert len(written) < 2 * (redaction.MESSAGE_LIMIT + 200)
    assert "more characters]" in written


def test_numbers_still_format_and_installing_twice_changes_nothing(
    log_output: io.StringIO,
) -> None:
    redaction.install()
    logging.getLogger("giveback").info("rows=%d share=%.1f", 3, 0.25)
    assert "rows=3 share=0.2" in log_output.getvalue()


def test_the_json_log_format_is_redacted_too() -> None:
    token = "xoxb-T0002-77-JsOn"
    with configured("json") as output:
        logging.getLogger("giveback").info("note=%s", "two\nlines")  # JSON escapes it itself
        logging.getLogger("slack_sdk").debug("body: {'access_token': '%s'}", token)
        try:
            raise RuntimeError(f"failed with {token}")
        except RuntimeError:
            logging.getLogger("giveback").exception("it broke")
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    assert len(lines) == 3 and "RuntimeError" in lines[2]["exception"]
    assert lines[0]["message"] == "note=two\nlines"
    assert token not in output.getvalue()
