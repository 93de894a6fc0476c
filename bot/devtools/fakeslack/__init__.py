"""In-process fake of Slack's Web API, response URLs and Socket Mode, served over real HTTP.

Used by the end-to-end tests and the playground::

    fake = FakeSlack()
    await fake.start()
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    ...  # payloads carry fake.response_url(); Socket Mode clients find /link themselves
    await fake.wait_for("chat.postMessage")
    await fake.stop()

Every request is recorded in `calls` (also failed ones). Messages posted with chat.postMessage
live in `messages`; unknown Web API methods answer `{"ok": true}` so the app never breaks.
A response URL made with a `channel` (and the `message_ts` it belongs to) behaves like Slack's:
`in_channel` posts become messages, `replace_original` / `delete_original` change the original.

The parts: `server` (HTTP routes, the call recorder, test helpers), `calls` (what was asked),
`faults` (injected failures and rate limits), `web_api` (the methods), `workspace` (people,
messages, views), `response_urls`, `socket_mode` and `oauth`.
"""

from __future__ import annotations

from bot.devtools.fakeslack.server import Call, FakeSlack
from bot.devtools.fakeslack.workspace import FakeUser

__all__ = ["Call", "FakeSlack", "FakeUser"]
