"""``giveback nudge --now`` as a real process, SIGKILLed in the middle of a sweep.

Slack answers each post late, after posting it, so the kill lands where exactly-once is
hardest: messages that are in people's DMs while the nudge log still says "claimed". The
restarts must send every nudge once: none twice (the history check finds what was posted)
and none lost (what was never posted is posted).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench.procs import bot_environ, free_port
from bot.devtools.fakeslack import FakeSlack
from bot.domain.settings import WorkspaceSettings
from bot.slack.delivery import LEASE
from bot.slack.history import EVENT_TYPE
from storage import open_store
from tests.conftest import TEAM
from tests.support.nudges import asking_without_giving, open_ask, welcomed
from tests.support.reliability import size

HELPER = "UHELPER"
ZONES = ("Europe/London", "Asia/Tokyo", "America/New_York", "Australia/Sydney")
OUTCOME = re.compile(r"^  (\w+) giveback to (\w+):", re.M)


async def seed(database: Path, fake: FakeSlack, people: list[str], now: datetime) -> None:
    """Everyone asked the helper for six favours and gave none, and the helper has an open ask:
    all are due an invitation now (welcomes were sent before)."""
    store = await open_store(str(database))
    try:
        for n, person in enumerate(people):
            fake.add_user(person, person.lower(), tz=ZONES[n % len(ZONES)])
            await asking_without_giving(store, person, at=now, helper=HELPER)
        always = WorkspaceSettings(
            nudge_weekdays=tuple(range(7)), nudge_start_hour=0, nudge_end_hour=24, newcomer_events=0
        )
        await store.preferences.save_workspace(TEAM, always, now=now)
        await open_ask(store, HELPER, "a hand with the move", at=now)
        await welcomed(store, HELPER, at=now)
    finally:
        await store.close()
    fake.add_user(HELPER, "helper")


async def start_sweep(fake: FakeSlack, database: Path, log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as errors:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli.main",
            "nudge",
            "--now",
            env=bot_environ(fake.api_url, database, free_port()),
            cwd=log.parent,  # beside its log: a developer's .env in the repo must not leak in
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=errors,
        )


async def sweep(fake: FakeSlack, database: Path, log: Path) -> Counter[str]:
    """One whole sweep in its own process; how many nudges ended each way."""
    process = await start_sweep(fake, database, log)
    out, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, tail(log)
    return Counter(outcome for outcome, _ in OUTCOME.findall(out.decode()))


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


def nudges_in_dms(fake: FakeSlack, people: list[str]) -> dict[str, list[dict]]:
    """Each person's DM messages that are nudges (by their metadata), as Slack holds them."""
    return {
        p: [
            m
            for m in fake.messages.get(fake.dm_channel(p), [])
            if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE
        ]
        for p in people
    }


def log_rows(database: Path) -> dict[str, tuple[str, str | None]]:
    """recipient -> (status, message_ts) in the nudge log."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT recipient_id, status, message_ts FROM nudge_log").fetchall()
    return {recipient: (status, ts) for recipient, status, ts in rows}


async def logged_as_sent(database: Path, count: int, timeout: float = 60) -> None:
    """Wait until the sweep has marked ``count`` nudges sent in its log."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while sum(status == "sent" for status, _ in log_rows(database).values()) < count:
        assert loop.time() < deadline, f"fewer than {count} nudges were marked sent"
        await asyncio.sleep(0.05)


def let_the_lease_pass(database: Path) -> None:
    """The killed sweep's claims age past the lease, as if the next sweep came 11 minutes on."""
    shift = int(LEASE.total_seconds()) + 60
    with sqlite3.connect(database) as conn:
        conn.execute(
            "UPDATE nudge_log SET claimed_at = claimed_at - ?, first_claimed_at ="
            " first_claimed_at - ? WHERE status = 'claimed'",
            (shift, shift),
        )


async def test_sigkill_mid_sweep_then_restarts_send_each_nudge_exactly_once(
    fake: FakeSlack, tmp_path: Path
) -> None:
    database = tmp_path / "giveback.db"
    people = [f"UP{n:05d}" for n in range(size(24, 400))]
    await seed(database, fake, people, datetime.now(UTC))  # the command runs on the real clock
    # The first sixth are answered on time; every later post lands at once, its answer never
    # before the kill. At most a sending slot's worth hang, so the kill is always mid-sweep.
    answered = len(people) // 6
    fake.slow("chat.postMessage", 60, after=answered)

    first = await start_sweep(fake, database, tmp_path / "first.log")
    try:
        await fake.wait_for("chat.postMessage", answered + 1, timeout=60)
        await logged_as_sent(database, answered)
        first.kill()  # SIGKILL: no clean-up of any kind
        assert await asyncio.wait_for(first.wait(), 20) == -9
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    fake.slow("chat.postMessage", 0)

    posted = {p for p, found in nudges_in_dms(fake, people).items() if found}
    rows = log_rows(database)
    logged = {p for p, (status, _) in rows.items() if status == "sent"}
    unknown = {p for p, (status, _) in rows.items() if status == "claimed"}
    assert logged and len(posted) < len(people), "the kill landed mid-sweep"
    assert logged < posted
    in_the_gap = posted & unknown  # in their DMs, but the log never heard back
    assert in_the_gap, "the kill landed while posts were unanswered"

    # Restarted within the lease: the dead sweep's claims are left alone, the rest are sent.
    during_lease = await sweep(fake, database, tmp_path / "second.log")
    assert during_lease["taken"] == len(logged) + len(unknown)  # sent, or held by the dead one
    assert during_lease["sent"] == len(people) - len(logged) - len(unknown)
    dms = nudges_in_dms(fake, people)
    assert all(len(dms[p]) == 1 for p in set(people) - unknown - posted)
    assert all(len(dms[p]) == (p in posted) for p in unknown)

    # After the lease: each claim is checked against the DM's history before anything is sent.
    let_the_lease_pass(database)
    after_lease = await sweep(fake, database, tmp_path / "third.log")
    assert after_lease["recovered"] == len(in_the_gap)
    assert after_lease["sent"] == len(unknown - posted)
    assert after_lease["taken"] == len(people) - len(unknown)

    dms = nudges_in_dms(fake, people)
    assert {p: len(found) for p, found in dms.items()} == dict.fromkeys(people, 1)
    applied = [c for c in fake.calls_to("chat.postMessage") if c.result is not None]
    assert sorted(fake.dm_owner(c.args["channel"]) for c in applied) == sorted(people)
    rows = log_rows(database)
    assert {p: rows[p] for p in people} == {p: ("sent", dms[p][0]["ts"]) for p in people}
    history = fake.calls_to("conversations.history")
    assert len(history) == len(unknown)
    assert all(c.args["include_all_metadata"] in (True, "1", "true") for c in history)

    # And a later sweep the same day has nothing left to send.
    assert await sweep(fake, database, tmp_path / "fourth.log") == {"taken": len(people)}
