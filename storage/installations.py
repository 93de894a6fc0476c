"""Installations of the app (OAuth, many workspaces): tokens per team, and install states.

Documents are JSON dicts (Slack SDK's installation fields) stored and returned as they are;
bot/slack/oauth.py turns them into the SDK's Installation and Bot objects.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storage.dbtypes import Connection, Database


@dataclass(frozen=True)
class Key:
    """Where an installation lives: a workspace, or a whole org for org-wide installs."""

    enterprise_id: str | None
    team_id: str | None

    @property
    def columns(self) -> tuple[str, str]:
        return self.enterprise_id or "", self.team_id or ""


class InstallationStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(
        self,
        key: Key,
        *,
        user_id: str,
        installation: dict[str, Any],
        bot: dict[str, Any] | None,
        installed_at: int,
    ) -> None:
        """Save an installer's installation and, with a bot token, the workspace's bot."""

        async def write(conn: Connection) -> None:
            await conn.execute(
                "INSERT INTO slack_installations (enterprise_id, team_id, user_id, document,"
                " installed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (enterprise_id, team_id, user_id)"
                " DO UPDATE SET document = excluded.document, installed_at = excluded.installed_at",
                (*key.columns, user_id, json.dumps(installation), installed_at),
            )
            if bot is not None:
                await _save_bot(conn, key, bot, installed_at)

        await self._db.write(write)

    async def save_bot(self, key: Key, bot: dict[str, Any], *, installed_at: int) -> None:
        async def write(conn: Connection) -> None:
            await _save_bot(conn, key, bot, installed_at)

        await self._db.write(write)

    async def find(self, key: Key, *, user_id: str | None = None) -> dict[str, Any] | None:
        """The installer's installation, or the latest one in the workspace/org."""
        if user_id is not None:
            row = await self._db.fetchone(
                "SELECT document FROM slack_installations"
                " WHERE enterprise_id = ? AND team_id = ? AND user_id = ?",
                (*key.columns, user_id),
            )
        else:
            row = await self._db.fetchone(
                "SELECT document FROM slack_installations WHERE enterprise_id = ? AND team_id = ?"
                " ORDER BY installed_at DESC, user_id LIMIT 1",
                key.columns,
            )
        return json.loads(row[0]) if row else None

    async def find_bot(self, key: Key) -> dict[str, Any] | None:
        row = await self._db.fetchone(
            "SELECT document FROM slack_bots WHERE enterprise_id = ? AND team_id = ?", key.columns
        )
        return json.loads(row[0]) if row else None

    async def rewrite(self, change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> int:
        """Replace every stored document (installations and bots) by ``change(document)``,
        in one transaction; None leaves it as it is. Return how many were replaced."""

        async def write(conn: Connection) -> int:
            replaced = 0
            cursor = await conn.execute(
                "SELECT enterprise_id, team_id, user_id, document FROM slack_installations"
            )
            for enterprise, team, user, document in list(await cursor.fetchall()):
                if (changed := change(json.loads(document))) is not None:
                    await conn.execute(
                        "UPDATE slack_installations SET document = ?"
                        " WHERE enterprise_id = ? AND team_id = ? AND user_id = ?",
                        (json.dumps(changed), enterprise, team, user),
                    )
                    replaced += 1
            cursor = await conn.execute("SELECT enterprise_id, team_id, document FROM slack_bots")
            for enterprise, team, document in list(await cursor.fetchall()):
                if (changed := change(json.loads(document))) is not None:
                    await conn.execute(
                        "UPDATE slack_bots SET document = ? WHERE enterprise_id = ? AND team_id = ?",
                        (json.dumps(changed), enterprise, team),
                    )
                    replaced += 1
            return replaced

        return int(await self._db.write(write))

    async def delete(self, key: Key, *, user_id: str | None = None) -> int:
        """Delete one installer's installation, or all of the workspace's; return how many."""

        async def write(conn: Connection) -> int:
            if user_id is None:
                cursor = await conn.execute(
                    "DELETE FROM slack_installations WHERE enterprise_id = ? AND team_id = ?",
                    key.columns,
                )
            else:
                cursor = await conn.execute(
                    "DELETE FROM slack_installations"
                    " WHERE enterprise_id = ? AND team_id = ? AND user_id = ?",
                    (*key.columns, user_id),
                )
            return int(cursor.rowcount)

        return int(await self._db.write(write))

    async def delete_bot(self, key: Key) -> int:
        async def write(conn: Connection) -> int:
            cursor = await conn.execute(
                "DELETE FROM slack_bots WHERE enterprise_id = ? AND team_id = ?", key.columns
            )
            return int(cursor.rowcount)

        return int(await self._db.write(write))

    async def strip_bot(self, key: Key, change: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
        """Replace each installation document of the workspace by ``change(document)`` (the
        bot token taken out when Slack revoked it); return how many were replaced."""

        async def write(conn: Connection) -> int:
            cursor = await conn.execute(
                "SELECT user_id, document FROM slack_installations"
                " WHERE enterprise_id = ? AND team_id = ?",
                key.columns,
            )
            rows = list(await cursor.fetchall())
            for user, document in rows:
                await conn.execute(
                    "UPDATE slack_installations SET document = ?"
                    " WHERE enterprise_id = ? AND team_id = ? AND user_id = ?",
                    (json.dumps(change(json.loads(document))), *key.columns, user),
                )
            return len(rows)

        return int(await self._db.write(write))

    async def issue_state(self, state: str, *, expires_at: int, now: int, keep: int) -> None:
        """Store a new install state. Anyone may open the install page, so every issue also
        drops expired states and, beyond ``keep`` live ones, the oldest: the table stays small
        however often the page is loaded."""

        async def write(conn: Connection) -> None:
            await conn.execute("DELETE FROM oauth_states WHERE expires_at <= ?", (now,))
            cursor = await conn.execute("SELECT count(*) FROM oauth_states")
            row = await cursor.fetchone()
            surplus = int(row[0]) - keep + 1 if row else 0
            if surplus > 0:
                await conn.execute(
                    "DELETE FROM oauth_states WHERE state IN (SELECT state FROM oauth_states"
                    " ORDER BY expires_at, state LIMIT ?)",
                    (surplus,),
                )
            await conn.execute(
                "INSERT INTO oauth_states (state, expires_at) VALUES (?, ?)", (state, expires_at)
            )

        await self._db.write(write)

    async def live_states(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM oauth_states")
        return int(row[0]) if row else 0

    async def consume_state(self, state: str, *, now: int) -> bool:
        """True exactly once for a live state, however many processes race for it."""

        async def write(conn: Connection) -> bool:
            cursor = await conn.execute(
                "DELETE FROM oauth_states WHERE state = ? AND expires_at > ?", (state, now)
            )
            await conn.execute("DELETE FROM oauth_states WHERE expires_at <= ?", (now,))
            return bool(cursor.rowcount == 1)

        return bool(await self._db.write(write))


async def _save_bot(conn: Connection, key: Key, bot: dict[str, Any], installed_at: int) -> None:
    await conn.execute(
        "INSERT INTO slack_bots (enterprise_id, team_id, document, installed_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (enterprise_id, team_id)"
        " DO UPDATE SET document = excluded.document, installed_at = excluded.installed_at",
        (*key.columns, json.dumps(bot), installed_at),
    )
