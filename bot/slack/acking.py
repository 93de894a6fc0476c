"""Listeners answer Slack the moment they ack; what follows the ack runs on its own.

Bolt's default for HTTP apps runs each listener in a task and polls every 10 ms for its ack,
which adds 5 ms to every response on average and costs a timer wake-up per poll. The app runs
with ``process_before_response=True`` instead, and each listener is wrapped here: it runs in a
task, and the wrapper returns as soon as the listener acks (or ends). Bolt then sends the ack
at once, and the listener's post-ack work (announcements, Home tabs) carries on.

Event listeners never ack themselves: the wrapper starts them and returns at once, so Bolt
acknowledges the event before they run, as it did before.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.slack.failures import handle_error

log = logging.getLogger(__name__)
Listener = Callable[..., Awaitable[Any]]
ErrorHandler = Callable[..., Awaitable[Any]]
# What the wrapper itself needs from Bolt besides the listener's own arguments.
OWN_ARGS = ("ack", "body", "context")
TASK_PREFIX = "giveback-listener"
ACK_WINDOW = 3.0  # Slack stops waiting for an ack after 3 seconds
_running: set[asyncio.Task[Any]] = set()  # the loop holds tasks weakly: keep them to the end


def acks_early(listener: Listener, on_error: ErrorHandler = handle_error) -> Listener:
    """``listener`` as Bolt should call it when the app processes before responding.

    A failure before the ack is Bolt's to handle (it answers with the error handler's
    response); one after it goes to ``on_error`` with no response, as Bolt would send it.
    """
    signature = inspect.signature(listener)
    wanted = tuple(signature.parameters)
    acks = "ack" in wanted

    async def run(**kwargs: Any) -> None:
        arguments = {name: kwargs[name] for name in wanted}
        if not acks:  # an event: Bolt acknowledges it when this returns
            task = _start(listener(**arguments), listener.__name__)
            task.add_done_callback(_reporter(on_error, kwargs["body"], kwargs["context"]))
            return
        ack: AsyncAck = kwargs["ack"]
        answered = asyncio.get_running_loop().create_future()
        arguments["ack"] = _SignallingAck(ack, answered)
        task = _start(listener(**arguments), listener.__name__)
        task.add_done_callback(lambda _: _settle(answered))
        late = asyncio.get_running_loop().call_later(ACK_WINDOW, _settle, answered)
        await answered
        late.cancel()
        if ack.response is None and task.done():
            # Ended without acking: its error (or nothing) is Bolt's to handle, as before.
            await task
            return
        if ack.response is None:
            log.warning("%s did not ack within %.0f s", listener.__name__, ACK_WINDOW)
        task.add_done_callback(_reporter(on_error, kwargs["body"], kwargs["context"]))

    extra = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        for name in OWN_ARGS
        if name not in signature.parameters
    ]
    # Bolt passes a listener the arguments its signature names (inspect.getfullargspec).
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *extra]
    )
    run.__name__ = run.__qualname__ = listener.__name__
    run.acks_early = acks  # type: ignore[attr-defined]  # for the registration test
    return run


class _SignallingAck(AsyncAck):
    """Bolt's ack, which also says "answered" the moment it is called."""

    def __init__(self, ack: AsyncAck, answered: asyncio.Future[None]) -> None:
        super().__init__()
        self._ack = ack
        self._answered = answered

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        response = await self._ack(*args, **kwargs)
        self.response = self._ack.response
        _settle(self._answered)
        return response


def _start(work: Awaitable[Any], what: str) -> asyncio.Task[Any]:
    task = asyncio.ensure_future(work)
    task.set_name(f"{TASK_PREFIX}-{what}")
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


def _settle(answered: asyncio.Future[None]) -> None:
    if not answered.done():
        answered.set_result(None)


def _reporter(
    on_error: ErrorHandler, body: dict[str, Any], context: AsyncBoltContext
) -> Callable[[asyncio.Task[Any]], None]:
    """What to do when a listener's task ends after its ack: hand a failure to ``on_error``."""

    def report(task: asyncio.Task[Any]) -> None:
        error = None if task.cancelled() else task.exception()
        if isinstance(error, Exception):
            _start(on_error(error, body, context, None), "error")
        elif error is not None:
            log.error("listener ended by %r", error)

    return report
