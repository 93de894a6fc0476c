"""Forgetting a person: their identity leaves every row, everyone else's counts stay."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.network import ANON_PREFIX
from storage.dbtypes import Connection, Database

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
    ("send_counts", "subject_id"),
]
# Free text written about help the person gave or received, as (table, text, user columns).
NOTE_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("help_events", "note", ("giver_id", "receiver_id")),
    ("asks", "text", ("asker_id",)),
]
# Idempotency keys embed user ids ("cmd:<trigger>:<user>"): rewritten like the id columns.
KEY_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("help_events", "idem_key", ("giver_id", "receiver_id")),
    ("reaction_thanks", "event_key", ("reactor_id", "helper_id")),
]


@dataclass(frozen=True)
class Forgotten:
    team_id: str
    token: str
    rows: int  # rows changed or deleted; 0 when nothing about the person was stored


def anonymous_token(salt: str, user_id: str) -> str:
    """Stable per (workspace, person), and not recomputable without the workspace's salt."""
    digest = hmac.new(salt.encode(), user_id.encode(), hashlib.sha256).hexdigest()
    return f"{ANON_PREFIX}{digest[:16]}"


class PrivacyStore:
    def __init__(self, db: Database, forgotten: Callable[[str, str], None] | None = None) -> None:
        self._db = db
        self._forgotten = forgotten  # drops in-memory copies (the profile cache) after forget

    async def forget(self, *, team_id: str, user_id: str) -> Forgotten:
        """Remove ``user_id`` from the workspace's data in one transaction (safe to repeat)."""

        async def write(conn: Connection) -> Forgotten:
            token = anonymous_token(await _salt(conn, team_id), user_id)
            rows = 0
            # Table and column names come from the constants above, never from input.
            for table, text, owners in NOTE_COLUMNS:
                who = " OR ".join(f"{c} = :u" for c in owners)
                cursor = await conn.execute(
                    f"UPDATE {table} SET {text} = '' WHERE team_id = :t AND ({who}) AND {text} <> ''",
                    {"t": team_id, "u": user_id},
                )
                rows += max(cursor.rowcount, 0)
            for table, key, owners in KEY_COLUMNS:
                who = " OR ".join(f"{c} = :u" for c in owners)
                await conn.execute(
                    f"UPDATE {table} SET {key} = replace({key}, :u, :anon)"
                    f" WHERE team_id = :t AND ({who}) AND instr({key}, :u) > 0",
                    {"t": team_id, "u": user_id, "anon": token},
                )
            for table, column in USER_COLUMNS:
                cursor = await conn.execute(
                    f"UPDATE {table} SET {column} = :anon WHERE team_id = :t AND {column} = :u",
                    {"t": team_id, "u": user_id, "anon": token},
                )
                rows += max(cursor.rowcount, 0)
            for table, column in PERSONAL_ROWS:
                cursor = await conn.execute(
                    f"DELETE FROM {table} WHERE team_id = :t AND {column} = :u",
                    {"t": team_id, "u": user_id},
                )
                rows += max(cursor.rowcount, 0)
            return Forgotten(team_id, token, rows)

        result: Forgotten = await self._db.write(write)
        if self._forgotten is not None:
            self._forgotten(team_id, user_id)
        return result


async def _salt(conn: Connection, team_id: str) -> str:
    await conn.execute(
        "INSERT INTO anon_salts (team_id, salt) VALUES (?, ?) ON CONFLICT (team_id) DO NOTHING",
        (team_id, secrets.token_hex(16)),
    )
    cursor = await conn.execute("SELECT salt FROM anon_salts WHERE team_id = ?", (team_id,))
    row = await cursor.fetchone()
    assert row is not None
    return str(row[0])
