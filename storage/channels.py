"""Per-channel settings: the language giveback posts in there, when an admin chose one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.cache import MISSING, TtlCache
from storage.dbtypes import Connection, Database, to_epoch
from storage.dialect import dialect_of
from storage.profiles import CACHE_TTL, SHARED_CACHE_TTL


class ChannelStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Read for every announcement: kept like the workspace settings it overrides.
        ttl = SHARED_CACHE_TTL if dialect_of(db).several_processes else CACHE_TTL
        self._languages: TtlCache[str | None] = TtlCache(
            maxsize=10_000, ttl=ttl, name="channel_languages"
        )
        self.caches: tuple[TtlCache[Any], ...] = (self._languages,)  # their hit counts, for metrics

    async def language(self, team_id: str, channel_id: str) -> str | None:
        """The channel's own language, or None: it follows the workspace."""
        key = (team_id, channel_id)
        cached = self._languages.get(key)
        if cached is not MISSING:
            return cached  # type: ignore[return-value]
        stamp = self._languages.stamp()
        row = await self._db.fetchone(
            "SELECT language FROM channel_settings WHERE team_id = ? AND channel_id = ?",
            (team_id, channel_id),
        )
        language = str(row[0]) if row else None
        self._languages.put(key, language, stamp)
        return language

    async def set_language(
        self, team_id: str, channel_id: str, language: str | None, *, now: datetime
    ) -> None:
        """Give the channel its own language; None: follow the workspace again."""

        async def write(conn: Connection) -> None:
            if language is None:
                await conn.execute(
                    "DELETE FROM channel_settings WHERE team_id = ? AND channel_id = ?",
                    (team_id, channel_id),
                )
                return
            await conn.execute(
                "INSERT INTO channel_settings (team_id, channel_id, language, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (team_id, channel_id) DO UPDATE SET"
                " language = excluded.language, updated_at = excluded.updated_at",
                (team_id, channel_id, language, to_epoch(now)),
            )

        await self._db.write(write)
        self._languages.drop((team_id, channel_id))
