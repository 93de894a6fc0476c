"""The users.info cache and each person's preferences; workspace settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.domain.records import UserProfile
from bot.domain.settings import UserPreferences, WorkspaceSettings
from storage.cache import MISSING, TtlCache
from storage.dbtypes import Connection, Database, from_epoch, to_epoch
from storage.dialect import dialect_of

CACHE_TTL = 30.0  # seconds a value read from the database is reused without reading again
# Several bot processes may share PostgreSQL, and one cannot drop another's copy: a change
# made through one (a setting, an opt-out) reaches the others within this many seconds.
SHARED_CACHE_TTL = 5.0


def _cache(db: Database, size: int, name: str) -> TtlCache[Any]:
    shared = dialect_of(db).several_processes
    return TtlCache(maxsize=size, ttl=SHARED_CACHE_TTL if shared else CACHE_TTL, name=name)


class ProfileStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: TtlCache[UserProfile | None] = _cache(db, 50_000, "profiles")
        self.caches: tuple[TtlCache[Any], ...] = (self._cache,)  # their hit counts, for metrics

    async def get(self, *, team_id: str, user_id: str) -> UserProfile | None:
        cached = self._cache.get((team_id, user_id))
        if cached is not MISSING:
            return cached  # type: ignore[return-value]
        stamp = self._cache.stamp()
        row = await self._db.fetchone(
            "SELECT * FROM user_profiles WHERE team_id = ? AND user_id = ?", (team_id, user_id)
        )
        profile = _profile(row) if row else None
        self._cache.put((team_id, user_id), profile, stamp)
        return profile

    async def all(self, team_id: str) -> dict[str, UserProfile]:
        """Every cached profile in a workspace, in one query (the sweep reads everyone's)."""
        rows = await self._db.fetchall("SELECT * FROM user_profiles WHERE team_id = ?", (team_id,))
        return {row["user_id"]: _profile(row) for row in rows}

    def drop_cached(self, team_id: str, user_id: str) -> None:
        """Forget the in-memory copy (after another area deleted or changed the row)."""
        self._cache.drop((team_id, user_id))

    async def save(self, profile: UserProfile) -> None:
        async def write(conn: Connection) -> None:
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

        key = (profile.team_id, profile.user_id)
        await self._db.write(write)
        self._cache.drop(key)  # read back next time: what the database holds is the truth


class PreferenceStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._workspaces: TtlCache[WorkspaceSettings] = _cache(db, 1000, "workspace_settings")
        # Read for both people on every thanks (is their Home tab worth republishing?).
        self._users: TtlCache[UserPreferences] = _cache(db, 50_000, "user_preferences")
        self.caches: tuple[TtlCache[Any], ...] = (self._workspaces, self._users)

    async def workspace(self, team_id: str) -> WorkspaceSettings:
        cached = self._workspaces.get(team_id)
        if cached is not MISSING:
            return cached  # type: ignore[return-value]
        stamp = self._workspaces.stamp()
        row = await self._db.fetchone(
            "SELECT settings FROM workspace_settings WHERE team_id = ?", (team_id,)
        )
        settings = WorkspaceSettings.from_json(json.loads(row[0]) if row else None)
        self._workspaces.put(team_id, settings, stamp)
        return settings

    async def save_workspace(
        self, team_id: str, settings: WorkspaceSettings, *, now: datetime
    ) -> None:
        async def write(conn: Connection) -> None:
            await conn.execute(
                "INSERT INTO workspace_settings (team_id, settings, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (team_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
                (team_id, json.dumps(settings.to_json()), to_epoch(now)),
            )

        await self._db.write(write)
        self._workspaces.drop(team_id)

    async def user(self, team_id: str, user_id: str) -> UserPreferences:
        cached = self._users.get((team_id, user_id))
        if cached is not MISSING:
            return cached  # type: ignore[return-value]
        stamp = self._users.stamp()
        row = await self._db.fetchone(
            "SELECT preferences FROM user_preferences WHERE team_id = ? AND user_id = ?",
            (team_id, user_id),
        )
        preferences = UserPreferences.from_json(json.loads(row[0]) if row else None)
        self._users.put((team_id, user_id), preferences, stamp)
        return preferences

    async def users(self, team_id: str) -> dict[str, UserPreferences]:
        """Everyone's saved preferences in a workspace, in one query; absent: the defaults."""
        rows = await self._db.fetchall(
            "SELECT user_id, preferences FROM user_preferences WHERE team_id = ?", (team_id,)
        )
        return {row[0]: UserPreferences.from_json(json.loads(row[1])) for row in rows}

    def drop_cached_user(self, team_id: str, user_id: str) -> None:
        """Forget the in-memory copy (after another area deleted or changed the row)."""
        self._users.drop((team_id, user_id))

    async def save_user(
        self, team_id: str, user_id: str, preferences: UserPreferences, *, now: datetime
    ) -> None:
        async def write(conn: Connection) -> None:
            await conn.execute(
                "INSERT INTO user_preferences (team_id, user_id, preferences, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (team_id, user_id) DO UPDATE SET preferences = excluded.preferences,"
                " updated_at = excluded.updated_at",
                (team_id, user_id, json.dumps(preferences.to_json()), to_epoch(now)),
            )

        await self._db.write(write)
        self._users.drop((team_id, user_id))


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
