"""The users.info cache and each person's preferences; workspace settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.models import UserProfile
from bot.preferences import UserPreferences, WorkspaceSettings
from storage.db import Database, from_epoch, to_epoch


class ProfileStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, *, team_id: str, user_id: str) -> UserProfile | None:
        row = await self._db.fetchone(
            "SELECT * FROM user_profiles WHERE team_id = ? AND user_id = ?", (team_id, user_id)
        )
        return _profile(row) if row else None

    async def save(self, profile: UserProfile) -> None:
        async def write(conn: aiosqlite.Connection) -> None:
            await conn.execute(
                "INSERT INTO user_profiles (team_id, user_id, name, is_bot, deleted, is_admin, tz,"
                " locale, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (team_id, user_id) DO UPDATE SET name = excluded.name,"
                " is_bot = excluded.is_bot, deleted = excluded.deleted,"
                " is_admin = excluded.is_admin, tz = excluded.tz, locale = excluded.locale,"
                " fetched_at = excluded.fetched_at",
                (
                    profile.team_id,
                    profile.user_id,
                    profile.name,
                    int(profile.is_bot),
                    int(profile.deleted),
                    int(profile.is_admin),
                    profile.tz,
                    profile.locale,
                    to_epoch(profile.fetched_at or datetime.now(UTC)),
                ),
            )

        await self._db.write(write)


class PreferenceStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def workspace(self, team_id: str) -> WorkspaceSettings:
        row = await self._db.fetchone(
            "SELECT settings FROM workspace_settings WHERE team_id = ?", (team_id,)
        )
        return WorkspaceSettings.from_json(json.loads(row[0]) if row else None)

    async def save_workspace(
        self, team_id: str, settings: WorkspaceSettings, *, now: datetime
    ) -> None:
        async def write(conn: aiosqlite.Connection) -> None:
            await conn.execute(
                "INSERT INTO workspace_settings (team_id, settings, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (team_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
                (team_id, json.dumps(settings.to_json()), to_epoch(now)),
            )

        await self._db.write(write)

    async def user(self, team_id: str, user_id: str) -> UserPreferences:
        row = await self._db.fetchone(
            "SELECT preferences FROM user_preferences WHERE team_id = ? AND user_id = ?",
            (team_id, user_id),
        )
        return UserPreferences.from_json(json.loads(row[0]) if row else None)

    async def save_user(
        self, team_id: str, user_id: str, preferences: UserPreferences, *, now: datetime
    ) -> None:
        async def write(conn: aiosqlite.Connection) -> None:
            await conn.execute(
                "INSERT INTO user_preferences (team_id, user_id, preferences, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (team_id, user_id) DO UPDATE SET preferences = excluded.preferences,"
                " updated_at = excluded.updated_at",
                (team_id, user_id, json.dumps(preferences.to_json()), to_epoch(now)),
            )

        await self._db.write(write)


def _profile(row: Any) -> UserProfile:
    return UserProfile(
        team_id=row["team_id"],
        user_id=row["user_id"],
        name=row["name"],
        is_bot=bool(row["is_bot"]),
        deleted=bool(row["deleted"]),
        is_admin=bool(row["is_admin"]),
        tz=row["tz"],
        locale=row["locale"],
        fetched_at=from_epoch(row["fetched_at"]),
    )
