"""The bot as a real process (``giveback run``): SIGKILL mid-load loses nothing acknowledged,
SIGTERM lets in-flight work finish and closes the database cleanly."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections import Counter
from pathlib import Path

import aiohttp

from bench.procs import SECRET, ServerProcess, giveback_process
from bot.devtools.fakeslack import FakeSlack
from bot.devtools.simulate import SignedSender
from tests.conftest import ALICE, BOB, CAROL, DAVE, TEAM
from tests.support.reliability import size

HELPERS = (BOB, CAROL, DAVE)


def keys_by_trigger(database: Path) -> Counter[str]:
    with sqlite3.connect(database) as conn:
        keys = [k for (k,) in conn.execute("SELECT idem_key FROM help_events")]
    return Counter(k.removeprefix("cmd:").rsplit(":", 1)[0] for k in keys)


def wal_left(database: Path) -> bool:
    return Path(f"{database}-wal").exists()


async def send_thanks(sender: SignedSender, fake: FakeSlack, trigger: str, n: int) -> str:
    """'recorded' (200, empty ack), 'answered' (200 with a message) or 'lost' (no answer)."""
    try:
        reply = await sender.command(
            "/thanks",
            f"<@{HELPERS[n % 3]}> for request {n}",
            user_id=ALICE,
            trigger_id=trigger,
            response_url=fake.response_url(),
        )
    except (TimeoutError, aiohttp.ClientError):
        return "lost"
    if reply.status != 200:
        return "lost"
    return "recorded" if reply.text == "" else "answered"


async def test_sigkill_during_a_load_run_loses_no_acknowledged_thanks(
    fake: FakeSlack, tmp_path: Path
) -> None:
    database = tmp_path / "giveback.db"
    total, concurrency = size(240, 3000), 16
    triggers = [f"{n}.1700000000.kill" for n in range(total)]
    outcome: dict[str, str] = {}
    first = giveback_process(fake.api_url, database, tmp_path / "first.log")
    await first.start()
    sender = SignedSender(first.url, SECRET, team_id=TEAM)
    try:
        queue = iter(enumerate(triggers))
        a_third_acknowledged = asyncio.Event()

        async def worker() -> None:
            for n, trigger in queue:
                outcome[trigger] = await send_thanks(sender, fake, trigger, n)
                if sum(v == "recorded" for v in outcome.values()) >= total // 3:
                    a_third_acknowledged.set()

        async def killer() -> None:
            await a_third_acknowledged.wait()
            await first.kill()

        await asyncio.gather(killer(), *(worker() for _ in range(concurrency)))
    finally:
        await sender.close()
        await first.stop()
    acknowledged = [t for t, v in outcome.items() if v == "recorded"]
    assert total // 3 <= len(acknowledged) < total, "the kill landed mid-run"
    assert "lost" in outcome.values()

    second = giveback_process(fake.api_url, database, tmp_path / "second.log")
    await second.start()
    sender = SignedSender(second.url, SECRET, team_id=TEAM)
    try:
        recorded = keys_by_trigger(database)
        assert all(recorded[t] == 1 for t in acknowledged), "an acknowledged thanks was lost"
        # Slack users retry what got no answer; replaying everything records each exactly once.
        replays = await asyncio.gather(
            *(send_thanks(sender, fake, t, n) for n, t in enumerate(triggers))
        )
        assert "lost" not in replays
    finally:
        await sender.close()
        await second.terminate()
    recorded = keys_by_trigger(database)
    assert set(recorded) == set(triggers) and set(recorded.values()) == {1}


async def test_sigterm_finishes_in_flight_requests_and_closes_the_database_cleanly(
    fake: FakeSlack, tmp_path: Path
) -> None:
    database = tmp_path / "giveback.db"
    bot: ServerProcess = giveback_process(fake.api_url, database, tmp_path / "bot.log")
    await bot.start()
    sender = SignedSender(bot.url, SECRET, team_id=TEAM)
    try:
        # Lookups and the announcement are slow, so both are in flight when SIGTERM lands.
        fake.fail("users.info", hang=0.8, times=10)
        fake.fail("response_url", hang=1.0, times=10)
        in_flight = asyncio.create_task(send_thanks(sender, fake, "1.1700000000.term", 1))
        await fake.wait_for("users.info")
        bot.signal(signal.SIGTERM)
        assert await in_flight == "recorded"
        assert await bot.wait(timeout=15) == 0
    finally:
        await sender.close()
        await bot.stop()
    log = bot.log.read_text()
    assert "stopped cleanly" in log and "Traceback" not in log
    assert "announcing failed" not in log  # the post-ack announcement was allowed to finish
    [announcement] = fake.calls_to("response_url")
    assert CAROL in announcement.args["text"]
    assert not wal_left(database)  # checkpointed and closed: nothing to recover
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM help_events").fetchone() == (1,)
