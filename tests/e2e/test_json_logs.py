"""``GIVEBACK_LOG_FORMAT=json`` on the real process: every line is one JSON object, and the
lines about one Slack request (Bolt's, slack_sdk's, giveback's) share one request id."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from bench.procs import SECRET, giveback_process
from bot.devtools.fakeslack import FakeSlack
from bot.devtools.simulate import SignedSender
from tests.conftest import ALICE, BOB, CAROL, TEAM


async def test_json_lines_parse_one_by_one_and_each_request_shares_one_id(
    fake: FakeSlack, tmp_path: Path
) -> None:
    log = tmp_path / "giveback.log"
    bot = giveback_process(
        fake.api_url,
        tmp_path / "giveback.db",
        log,
        GIVEBACK_LOG_FORMAT="json",
        GIVEBACK_LOG_LEVEL="DEBUG",
    )
    await bot.start()
    sender = SignedSender(bot.url, SECRET, team_id=TEAM)
    try:
        for helper in (BOB, CAROL):
            reply = await sender.command(
                "/thanks",
                f"<@{helper}> for the review",
                user_id=ALICE,
                response_url=fake.response_url(),
            )
            assert reply.status == 200
        await fake.wait_for("response_url", 2)
    finally:
        await sender.close()
        assert await bot.terminate() == 0
        await bot.stop()

    lines = [json.loads(line) for line in log.read_text().splitlines()]  # each one parses
    assert all(
        {"time", "level", "logger", "message", "team", "surface", "request_id"} <= set(line)
        for line in lines
    )
    by_request: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line in lines:
        if line["request_id"]:
            by_request[line["request_id"]].append(line)
    recorded = [line for line in lines if line["message"].startswith("thanks recorded")]
    assert len(recorded) == 2
    assert len({line["request_id"] for line in recorded}) == 2  # one id per request
    for line in recorded:
        about_it = by_request[line["request_id"]]
        assert (line["team"], line["surface"]) == (TEAM, "command")
        loggers = {other["logger"] for other in about_it}
        assert {"slack_bolt", "handlers.commands"} <= loggers, loggers
        assert any(other["message"].startswith("Responding with status: 200") for other in about_it)
