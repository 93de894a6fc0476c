"""Forgetting a person: their identity leaves every row, everyone else's counts stay.

What forget does, in one transaction:
- their open and held asks are withdrawn (nobody offers help on an ask with no one behind it);
- the notes of help they gave or received and the texts of their asks are emptied;
- ``<@them>`` mentions in everyone else's notes and asks become ``@…``;
- every column holding their user id gets a new random token (``anon-…``) that nothing stored
  can derive from their id, so a copy of the database does not re-identify them;
- the bot's DM channel with them leaves every row (DM copies of asks, nudge records, the
  channel of a thanks given in that DM); rows only about them (profile, preferences, nudges,
  reaction tombstones) are deleted.
Then the database makes sure no copy of what was erased stays in its files (SQLite: deleted
content is zeroed, ``secure_delete``, and the write-ahead log is checkpointed and truncated).

A new table that stores user ids, text about people, or DM channels adds its columns to the
lists below; tests/store/test_forget_dump.py dumps every table after forget and fails otherwise.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.network import ANON_PREFIX
from storage.dbtypes import Connection, Database, to_epoch

# Every column that holds a Slack user id, as (table, column). forget() rewrites each of them
# to the person's anonymous token. A new table that stores user ids adds its columns here.
USER_COLUMNS: list[tuple[str, str]] = [
    ("help_events", "giver_id"),
    ("help_events", "receiver_id"),
    ("thanks_offers", "user_id"),
    ("asks", "asker_id"),
    ("ask_people", "user_id"),
    ("reaction_thanks", "reactor_id"),
    ("reaction_thanks", "helper_id"),
]
# Rows that only describe the person (Slack's profile cache, their own choices): deleted.
PERSONAL_ROWS: list[tuple[str, str]] = [
    ("user_profiles", "user_id"),
    ("user_preferences", "user_id"),
    ("nudge_log", "recipient_id"),
    ("dm_channels", "user_id"),
    ("ask_messages", "recipient_id"),
    ("send_counts", "subject_id"),
]
# Free text written about help the person gave or received, as (table, text, user columns).
NOTE_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("help_events", "note", ("giver_id", "receiver_id")),
    ("asks", "text", ("asker_id",)),
]
# Free text anyone wrote, which may mention the person: as (table, row id, text).
MENTION_COLUMNS: list[tuple[str, str, str]] = [
    ("help_events", "id", "note"),
    ("asks", "id", "text"),
]
# Idempotency keys embed user ids ("cmd:<trigger>:<user>"): rewritten like the id columns.
KEY_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("help_events", "idem_key", ("giver_id", "receiver_id")),
    ("reaction_thanks", "event_key", ("reactor_id", "helper_id")),
]
# Keys that embed user ids in rows kept only briefly: deleted when they name the person.
TRANSIENT_KEYS: list[tuple[str, str]] = [("reaction_tombstones", "idem_key")]
# Columns that may hold a conversation id: the bot's DM with the person is cleared from them.
CHANNEL_COLUMNS: list[tuple[str, str]] = [("help_events", "channel_id"), ("asks", "channel_id")]
# Where the bot's DM channel with someone is known from, as (table, channel, user columns).
DM_SOURCES: list[tuple[str, str, str]] = [
    ("dm_channels", "channel_id", "user_id"),
    ("ask_messages", "channel_id", "recipient_id"),
    ("nudge_log", "channel_id", "recipient_id"),
]
MENTIONED_AS = "@…"


@dataclass(frozen=True)
class Forgotten:
    team_id: str
    token: str
    rows: int  # rows changed or deleted; 0 when nothing about the person was stored


def new_token() -> str:
    """Random, kept only where the person's id was: not derivable from their id by anyone."""
    return f"{ANON_PREFIX}{secrets.token_hex(8)}"


def unmention(text: str, user_id: str) -> str:
    """``text`` with every ``<@user_id>`` (or ``<@user_id|name>``) and bare id replaced."""
    mention = re.compile(rf"<@{re.escape(user_id)}(?:\|[^<>]*)?>")
    return re.sub(rf"\b{re.escape(user_id)}\b", MENTIONED_AS, mention.sub(MENTIONED_AS, text))


class PrivacyStore:
    def __init__(self, db: Database, forgotten: Callable[[str, str], None] | None = None) -> None:
        self._db = db
        self._forgotten = forgotten  # drops in-memory copies (the profile cache) after forget

    async def forget(self, *, team_id: str, user_id: str, now: datetime | None = None) -> Forgotten:
        """Remove ``user_id`` from the workspace's data in one transaction (safe to repeat)."""
        token = new_token()
        closed_at = to_epoch(now or datetime.now(UTC))

        async def write(conn: Connection) -> Forgotten:
            who = {"t": team_id, "u": user_id}
            dms = await _dm_channels(conn, team_id, user_id)
            rows = await _withdraw_asks(conn, who, closed_at)
            rows += await _count(
                conn,
                "DELETE FROM ask_messages WHERE team_id = :t AND ask_id IN"
                " (SELECT id FROM asks WHERE team_id = :t AND asker_id = :u)",
                who,
            )
            # Table and column names come from the constants above, never from input.
            for table, text, owners in NOTE_COLUMNS:
                match = " OR ".join(f"{c} = :u" for c in owners)
                sql = f"UPDATE {table} SET {text} = '' WHERE team_id = :t AND ({match})"
                rows += await _count(conn, f"{sql} AND {text} <> ''", who)
            for table, row_id, text in MENTION_COLUMNS:
                rows += await _unmention(conn, table, row_id, text, team_id, user_id)
            for table, key, owners in KEY_COLUMNS:
                match = " OR ".join(f"{c} = :u" for c in owners)
                await conn.execute(
                    f"UPDATE {table} SET {key} = replace({key}, :u, :anon)"
                    f" WHERE team_id = :t AND ({match}) AND instr({key}, :u) > 0",
                    {**who, "anon": token},
                )
            for table, key in TRANSIENT_KEYS:
                sql = f"DELETE FROM {table} WHERE team_id = :t AND instr({key}, :u) > 0"
                rows += await _count(conn, sql, who)
            for table, column in CHANNEL_COLUMNS:
                for channel in dms:
                    sql = f"UPDATE {table} SET {column} = NULL WHERE team_id = :t AND {column} = :c"
                    rows += await _count(conn, sql, {"t": team_id, "c": channel})
            for table, column in USER_COLUMNS:
                sql = f"UPDATE {table} SET {column} = :anon WHERE team_id = :t AND {column} = :u"
                rows += await _count(conn, sql, {**who, "anon": token})
            for table, column in PERSONAL_ROWS:
                sql = f"DELETE FROM {table} WHERE team_id = :t AND {column} = :u"
                rows += await _count(conn, sql, who)
            return Forgotten(team_id, token, rows)

        result: Forgotten = await self._db.write(write)
        await self._db.flush_erased()
        if self._forgotten is not None:
            self._forgotten(team_id, user_id)
        return result


async def _count(conn: Connection, sql: str, params: Mapping[str, object]) -> int:
    cursor = await conn.execute(sql, params)
    return max(cursor.rowcount, 0)


async def _dm_channels(conn: Connection, team_id: str, user_id: str) -> list[str]:
    """The bot's DM channel(s) with the person, from everywhere one is recorded."""
    found: set[str] = set()
    for table, channel, user in DM_SOURCES:
        cursor = await conn.execute(
            f"SELECT DISTINCT {channel} FROM {table}"
            f" WHERE team_id = ? AND {user} = ? AND {channel} IS NOT NULL",
            (team_id, user_id),
        )
        found.update(str(row[0]) for row in await cursor.fetchall() if row[0])
    return sorted(c for c in found if c.startswith("D"))  # a DM, never a shared channel


async def _withdraw_asks(conn: Connection, who: Mapping[str, str], closed_at: int) -> int:
    return await _count(
        conn,
        "UPDATE asks SET status = 'withdrawn', closed_at = :now"
        " WHERE team_id = :t AND asker_id = :u AND status IN ('open', 'held')",
        {**who, "now": closed_at},
    )


async def _unmention(
    conn: Connection, table: str, row_id: str, text: str, team_id: str, user_id: str
) -> int:
    cursor = await conn.execute(
        f"SELECT {row_id}, {text} FROM {table} WHERE team_id = ? AND instr({text}, ?) > 0",
        (team_id, user_id),
    )
    changed = 0
    for row in list(await cursor.fetchall()):
        cleaned = unmention(str(row[1]), user_id)
        if cleaned != row[1]:
            await conn.execute(
                f"UPDATE {table} SET {text} = ? WHERE {row_id} = ?", (cleaned, row[0])
            )
            changed += 1
    return changed
