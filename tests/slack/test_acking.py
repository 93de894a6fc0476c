"""Listeners answer at their ack (bot.slack.acking): through real Bolt, with signed requests."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltRequest
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.app import build_app
from bot.config import Settings
from bot.slack import acking
from bot.slack.acking import acks_early
from tests.conftest import BOB, SECRET, Bot


async def _authorize(**_: Any) -> AuthorizeResult:
    return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-t", bot_user_id="UB")


def _app() -> AsyncApp:
    return AsyncApp(signing_secret=SECRET, authorize=_authorize, process_before_response=True)


def _signed(body: str) -> AsyncBoltRequest:
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    return AsyncBoltRequest(
        body=body,
        headers={
            "content-type": ["application/x-www-form-urlencoded"],
            "x-slack-request-timestamp": [stamp],
            "x-slack-signature": [signature],
        },
    )


def _command(text: str = "") -> AsyncBoltRequest:
    fields = {"command": "/thanks", "team_id": "T1", "user_id": "U1", "trigger_id": "1.2"}
    return _signed(urlencode({**fields, "text": text}))


def _event() -> AsyncBoltRequest:
    event = {"type": "app_mention", "user": "U1", "text": "hi", "channel": "C1", "ts": "1.0"}
    body = {"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": event}
    return _json(body)


def _json(body: dict[str, Any]) -> AsyncBoltRequest:
    request = _signed(json.dumps(body))
    request.headers["content-type"] = ["application/json"]
    return request


class Failures:
    def __init__(self) -> None:
        self.seen: list[tuple[Exception, BoltResponse | None]] = []
        self.reported = asyncio.Event()

    async def handle(
        self, error: Exception, body: dict[str, Any], context: Any, response: BoltResponse | None
    ) -> None:
        self.seen.append((error, response))
        self.reported.set()


async def test_the_ack_is_the_answer_while_the_listener_goes_on() -> None:
    app, release, finished = _app(), asyncio.Event(), asyncio.Event()

    async def listener(ack: AsyncAck) -> None:
        await ack(response_type="ephemeral", text="noted")
        await release.wait()  # post-ack work the response must not wait for
        finished.set()

    app.command("/thanks")(acks_early(listener))
    # Bounded: a response that waited for the listener would never come.
    response = await asyncio.wait_for(app.async_dispatch(_command()), 10)

    assert response.status == 200
    assert json.loads(response.body) == {"response_type": "ephemeral", "text": "noted"}
    assert not finished.is_set()
    release.set()
    await asyncio.wait_for(finished.wait(), 5)


async def test_a_failure_before_the_ack_is_answered_by_bolt_error_handler() -> None:
    app, failures = _app(), Failures()

    async def listener(ack: AsyncAck) -> None:
        raise RuntimeError("before the ack")

    @app.error
    async def answer(error: Exception) -> BoltResponse:
        failures.seen.append((error, None))
        return BoltResponse(status=200, body="sorry")

    app.command("/thanks")(acks_early(listener, on_error=failures.handle))
    response = await app.async_dispatch(_command())

    assert (response.status, response.body) == (200, "sorry")
    assert [str(e) for e, _ in failures.seen] == ["before the ack"]


async def test_a_failure_after_the_ack_goes_to_the_error_handler_without_a_response() -> None:
    app, failures = _app(), Failures()

    async def listener(ack: AsyncAck) -> None:
        await ack()
        await asyncio.sleep(0)
        raise RuntimeError("after the ack")

    app.command("/thanks")(acks_early(listener, on_error=failures.handle))
    response = await app.async_dispatch(_command())

    assert (response.status, response.body) == (200, "")
    await asyncio.wait_for(failures.reported.wait(), 5)
    [(error, answer)] = failures.seen
    assert str(error) == "after the ack" and answer is None


async def test_an_event_is_acknowledged_before_its_listener_runs() -> None:
    app, release, finished = _app(), asyncio.Event(), asyncio.Event()

    async def listener(event: dict[str, Any]) -> None:
        await release.wait()
        finished.set()

    app.event("app_mention")(acks_early(listener))
    response = await asyncio.wait_for(app.async_dispatch(_event()), 10)

    assert response.status == 200 and not finished.is_set()
    release.set()
    await asyncio.wait_for(finished.wait(), 5)


def test_every_listener_of_the_app_answers_at_its_ack(tmp_path: Any) -> None:
    """process_before_response without the wrapper would hold every ack until the listener
    ends; and a listener that must ack but takes no ``ack`` would never answer."""
    settings = Settings(bot_token="xoxb-t", signing_secret=SECRET)
    app = build_app(settings, deps=None)  # type: ignore[arg-type]  # listeners only
    assert app._process_before_response
    for listener in app._async_listeners:
        wrapped = listener.ack_function
        assert hasattr(wrapped, "acks_early"), wrapped
        # Events are acknowledged by Bolt; everything else acks itself.
        assert wrapped.acks_early or listener.auto_acknowledgement, wrapped


async def test_thanks_is_acked_while_its_announcement_is_still_on_the_way(bot: Bot) -> None:
    bot.fake.slow("response_url", 60, applied=False)  # held until the fake stops

    # Bounded below the announcement's own 10 s timeout: an ack that waited for it fails here.
    status, ack, _ = await asyncio.wait_for(bot.thanks(f"<@{BOB}> for the review"), 5)

    assert (status, ack) == (200, None)
    [announcement] = await bot.fake.wait_for("response_url")
    assert announcement.result is None  # not answered yet: the ack did not wait for it
    assert len(await bot.events()) == 1


async def test_a_listener_that_never_acks_is_answered_when_slack_stops_waiting(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(acking, "ACK_WINDOW", 0.05)  # Slack's 3 seconds, shortened
    app, release, finished = _app(), asyncio.Event(), asyncio.Event()

    async def listener(ack: AsyncAck) -> None:
        await release.wait()  # stuck before its ack
        await ack()
        finished.set()

    app.command("/thanks")(acks_early(listener))
    response = await asyncio.wait_for(app.async_dispatch(_command()), 10)

    assert response.status == 404  # Bolt's answer for a listener that never acked, as before
    assert "listener did not ack within" in caplog.text
    release.set()  # the listener still finishes, on its own
    await asyncio.wait_for(finished.wait(), 5)
