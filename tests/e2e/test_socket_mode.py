"""Socket Mode, the default for new installs: the real handler against a local fake."""

from __future__ import annotations

from pathlib import Path

from bot.devtools.fakeslack import FakeSlack
from bot.server import running
from tests.conftest import ALICE, BOB, FakeClock, settings_for


async def test_slash_command_over_socket_mode_is_handled_and_acknowledged(
    fake: FakeSlack, clock: FakeClock, tmp_path: Path
) -> None:
    settings = settings_for(
        fake, tmp_path / "socket.db", app_token="xapp-1-test", signing_secret=None
    )
    async with running(settings, clock=clock) as live:
        assert live.port is None
        await fake.wait_for_socket()
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.token == "xapp-1-test"
        ack = await fake.push_envelope(
            {
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": "T0001",
                    "user_id": ALICE,
                    "channel_id": "C0001",
                    "command": "/thanks",
                    "text": f"<@{BOB}|bob> for the socket review",
                    "response_url": fake.response_url(),
                    "trigger_id": "123.456.socket",
                },
            }
        )
        assert ack["envelope_id"]
        events = [e async for e in live.deps.store.events.export()]
        assert [(e.giver_id, e.receiver_id, e.note) for e in events] == [
            (BOB, ALICE, "the socket review")
        ]
        [announcement] = await fake.wait_for("response_url")
        assert announcement.args["response_type"] == "in_channel"
