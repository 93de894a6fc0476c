"""The baseline for the ack benchmark: a bare Bolt AsyncApp whose /thanks handler only acks.

Served exactly like the bot (aiohttp AppRunner, signature verification on, the same event
loop), so the difference between the two is what giveback does: parse, look people up,
store, announce.

    python -m bench.bare_app PORT API_URL
"""

from __future__ import annotations

import asyncio
import signal
import sys

from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.procs import EVENTS_PATH, SECRET
from bot.server import event_loop


def build_bare_app(api_url: str) -> AsyncApp:
    client = AsyncWebClient(token="xoxb-bench-token", base_url=api_url)
    app = AsyncApp(client=client, signing_secret=SECRET)

    @app.command("/thanks")
    async def only_ack(ack: AsyncAck) -> None:
        await ack()

    return app


async def serve(port: int, api_url: str) -> None:
    runner = web.AppRunner(build_bare_app(api_url).web_app(path=EVENTS_PATH))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


if __name__ == "__main__":
    with asyncio.Runner(loop_factory=event_loop) as runner:
        runner.run(serve(int(sys.argv[1]), sys.argv[2]))
