"""Two ``giveback`` processes on one PostgreSQL database and one fake Slack.

Slack may deliver the same event to either process (a retry lands on the other one behind a
load balancer): it must be recorded and announced exactly once. Distinct commands sent to each
process are each recorded once. Two processes sweeping at once send each nudge once.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.devtools.fakeslack import FakeSlack
from bot.devtools.simulate import SignedSender
from bot.domain.settings import WorkspaceSettings
from bot.server import EVENTS_PATH
from storage import open_store
from tests.conftest import ALICE, BOB, CAROL, DAVE, SECRET, TEAM
from tests.support.nudges import asking_without_giving, open_ask, welcomed
from tests.support.paths import ROOT

LISTENING = re.compile(r"listening for Slack on http://[\d.]+:(\d+)")


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    port: int
    log: list[str] = field(default_factory=list)


async def _drain(stream: asyncio.StreamReader, log: list[str], ready: asyncio.Future[int]) -> None:
    while line := (await stream.readline()).decode():
        log.append(line)
        if not ready.done() and (match := LISTENING.search(line)):
            ready.set_result(int(match.group(1)))
    if not ready.done():
        ready.set_exception(RuntimeError("the bot exited before listening:\n" + "".join(log)))


def _environment(fake: FakeSlack, database: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "GIVEBACK_DATABASE": database,
        "PORT": str(_free_port()),
    }


@asynccontextmanager
async def bot_process(fake: FakeSlack, database: str, workdir: Path) -> AsyncIterator[BotProcess]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli.main",
        "run",
        cwd=workdir,
        env=_environment(fake, database),
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.DEVNULL,
    )
    assert process.stderr is not None
    log: list[str] = []
    ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    drain = asyncio.create_task(_drain(process.stderr, log, ready))
    try:
        port = await asyncio.wait_for(ready, 30)
        yield BotProcess(process, port, log)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)
        await drain


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mention(event_ts: str) -> dict[str, str]:
    return {
        "type": "app_mention",
        "user": ALICE,
        "text": f"<@UBOT> thanks <@{BOB}> for the pairing",
        "ts": event_ts,
        "channel": "C0001",
        "event_ts": event_ts,
    }


async def test_two_processes_record_each_delivery_once(
    fake: FakeSlack, postgres_url: str, tmp_path: Path
) -> None:
    async with (
        bot_process(fake, postgres_url, tmp_path) as first,
        bot_process(fake, postgres_url, tmp_path) as second,
    ):
        senders = [
            SignedSender(f"http://127.0.0.1:{p.port}{EVENTS_PATH}", SECRET, team_id=TEAM)
            for p in (first, second)
        ]
        try:
            event = mention("1700000000.000100")
            # The same delivery reaches both processes at once, then again as retries.
            replies = await asyncio.gather(
                *(s.event(event, event_id="Ev0SHARED") for s in senders),
                *(s.event(event, event_id="Ev0SHARED", retry_num=1) for s in senders),
                senders[0].command(
                    "/thanks",
                    f"<@{BOB}> for the review",
                    user_id=CAROL,
                    response_url=fake.response_url("a"),
                ),
                senders[1].command(
                    "/thanks",
                    f"<@{ALICE}> for the deploy",
                    user_id=CAROL,
                    response_url=fake.response_url("b"),
                ),
            )
        finally:
            for sender in senders:
                await sender.close()
        assert [r.status for r in replies] == [200] * 6
        await fake.wait_for("chat.postMessage")
        await fake.wait_for("response_url", 2)

    assert first.process.returncode == second.process.returncode == 0
    assert any("stopped cleanly" in line for line in first.log + second.log)
    store = await open_store(postgres_url)
    try:
        recorded = [(e.source, e.giver_id, e.receiver_id) async for e in store.events.export()]
    finally:
        await store.close()
    assert sorted(recorded) == sorted(
        [("mention", BOB, ALICE), ("command", BOB, CAROL), ("command", ALICE, CAROL)]
    )
    announced = [c for c in fake.calls_to("chat.postMessage") if "thread_ts" in c.args]
    assert len(announced) == 1  # the mention is answered by one process only


async def nudge_now(fake: FakeSlack, database: str, workdir: Path) -> str:
    """``giveback nudge --now`` in its own process; its report."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli.main",
        "nudge",
        "--now",
        cwd=workdir,
        env=_environment(fake, database),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_two_processes_sweeping_at_once_send_each_nudge_once(
    fake: FakeSlack, postgres_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)  # the command runs on the real clock
    store = await open_store(postgres_url)
    try:
        # Alice and Dave asked six favours each and gave none; the rest were welcomed.
        await asking_without_giving(store, ALICE, at=now, helper=CAROL)
        await asking_without_giving(store, DAVE, at=now, helper=CAROL)
        await welcomed(store, BOB, CAROL, at=now)
        always = WorkspaceSettings(
            nudge_weekdays=tuple(range(7)), nudge_start_hour=0, nudge_end_hour=24
        )
        await store.preferences.save_workspace(TEAM, always, now=now)
        await open_ask(store, BOB, "a second pair of eyes on the rollout plan", at=now)
    finally:
        await store.close()

    reports = await asyncio.gather(*(nudge_now(fake, postgres_url, tmp_path) for _ in range(2)))

    sent = [found for r in reports for found in re.findall(r"^  sent (\w+) to (\w+):", r, re.M)]
    assert sorted(sent) == [("giveback", ALICE), ("giveback", DAVE)]
    posted = [c for c in fake.calls_to("chat.postMessage") if not c.failed]
    keys = [c.args["metadata"]["event_payload"]["key"].split("/")[1:3] for c in posted]
    assert sorted(keys) == [[ALICE, "giveback"], [DAVE, "giveback"]]  # each posted once
    alice_dm = next(c for c in posted if c.args["channel"] == fake.dm_channel(ALICE))
    assert "rollout plan" in str(alice_dm.args["blocks"])  # open asks are read on PostgreSQL too
