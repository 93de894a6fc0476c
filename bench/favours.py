"""The generated workspace with favours in it: asks, offers, and help credited on asks.

bench/dataset.py's help events are all thanks by command. A running workspace also has asks,
which `/ask`'s give-first check and the sweep's invitations read (storage.activity): here every
tenth help event becomes help credited on an ask (source 'ask'), with the resolved ask its
receiver posted two hours before and the helper's offer an hour before; and the busiest recent
askers have ``OPEN_ASKS`` asks open in the days before NOW, a third with an offer.

``with_favours(path)`` copies a workspace with profiles (bench/people.py) once, adds these rows
with bulk SQL through the real schema's triggers (so favour_daily follows as in production),
and caches the copy beside it; the files it starts from stay as they were.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

from bench.common import say
from bench.dataset import NOW, TEAM
from storage import Store

FAVOURS_VERSION = 1  # bump when the rows below change: cached copies are rebuilt
ASK_SHARE = 10  # every tenth help event was help on an ask
OPEN_ASKS = 300
OPEN_IDS = 10**9  # open asks' ids: past every help event's
HOUR = 3600


def with_favours(path: Path) -> Path:
    """A cached copy of the workspace at ``path`` with asks, offers and help on asks."""
    target = path.with_name(f"{path.stem}-favours-v{FAVOURS_VERSION}.db")
    if target.exists() and _complete(target):
        asyncio.run(_migrate(target))  # migrations added since the copy was made
        return target
    target.unlink(missing_ok=True)
    temporary = target.with_suffix(".tmp")
    shutil.copyfile(path, temporary)
    asyncio.run(_migrate(temporary))
    say(f"  adding asks and offers to {path.name}")
    conn = sqlite3.connect(temporary, isolation_level=None)
    try:
        conn.execute("BEGIN")
        _resolved_asks(conn)
        _open_asks(conn)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    temporary.replace(target)
    return target


def _resolved_asks(conn: sqlite3.Connection) -> None:
    """Every tenth event becomes help on an ask: the ask (its id the event's), offer, credit."""
    conn.execute("UPDATE help_events SET source = 'ask' WHERE id % ? = 0", (ASK_SHARE,))
    conn.execute(
        "INSERT INTO asks (id, team_id, asker_id, text, channel_id, status, created_at,"
        " closed_at, idem_key) SELECT id, team_id, receiver_id, 'a hand with something',"
        " channel_id, 'resolved', created_at - ?, created_at, 'bench:' || id"
        " FROM help_events WHERE source = 'ask'",
        (2 * HOUR,),
    )
    conn.execute(
        "INSERT INTO ask_people (team_id, ask_id, user_id, role, created_at)"
        " SELECT team_id, id, giver_id, 'offered', created_at - ? FROM help_events"
        " WHERE source = 'ask'",
        (HOUR,),
    )
    conn.execute(
        "INSERT INTO ask_people (team_id, ask_id, user_id, role, created_at)"
        " SELECT team_id, id, giver_id, 'helped', created_at FROM help_events"
        " WHERE source = 'ask'"
    )


def _open_asks(conn: sqlite3.Connection) -> None:
    """The busiest askers of the last month each have one ask open, spread over three days."""
    end = int(NOW.timestamp())
    askers = [
        row[0]
        for row in conn.execute(
            "SELECT receiver_id FROM help_events WHERE team_id = ? AND source = 'ask'"
            " AND created_at >= ? GROUP BY receiver_id ORDER BY count(*) DESC, receiver_id"
            " LIMIT ?",
            (TEAM, end - 30 * 24 * HOUR, OPEN_ASKS),
        )
    ]
    conn.executemany(
        "INSERT INTO asks (id, team_id, asker_id, text, channel_id, status, created_at, idem_key)"
        " VALUES (?, ?, ?, 'who could look at this with me?', 'C0001', 'open', ?, ?)",
        [
            (OPEN_IDS + n, TEAM, asker, end - (n * 72 * HOUR) // OPEN_ASKS, f"bench:open:{n}")
            for n, asker in enumerate(askers)
        ],
    )
    offered = [(n, askers[(n + 1) % len(askers)]) for n in range(0, len(askers), 3)]
    conn.executemany(
        "INSERT INTO ask_people (team_id, ask_id, user_id, role, created_at)"
        " VALUES (?, ?, ?, 'offered', ?)",
        [(TEAM, OPEN_IDS + n, helper, end - HOUR) for n, helper in offered],
    )


def _complete(path: Path) -> bool:
    try:
        with sqlite3.connect(path) as conn:
            found = conn.execute("SELECT count(*) FROM asks WHERE status = 'open'").fetchone()
            return bool(found[0])
    except sqlite3.Error:
        return False


async def _migrate(path: Path) -> None:
    store = await Store.open(path)
    await store.close()
