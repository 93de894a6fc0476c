"""Store: the whole store, one area per attribute. Every method is scoped by ``team_id``."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from storage.activity import ActivityStore
from storage.ask_messages import AskMessageStore
from storage.asks import AskStore
from storage.backends import sqlite as db
from storage.backends.postgres import PgDatabase
from storage.cache import TtlCache
from storage.channels import ChannelStore
from storage.dbtypes import Database
from storage.dm_channels import DmChannelStore
from storage.errors import StoreUnavailable
from storage.events import HelpEventStore
from storage.insights import InsightStore
from storage.installations import InstallationStore
from storage.nudges import NudgeStore
from storage.observe import StoreObserver
from storage.offers import OfferStore
from storage.privacy import PrivacyStore
from storage.profiles import PreferenceStore, ProfileStore
from storage.quotas import SendCountStore
from storage.retention import RetentionStore
from storage.rollups import RollupStore
from storage.tombstones import TombstoneStore
from storage.topics import TopicStore
from storage.url import DatabaseUrl, parse_database_url


class Store:
    """Open with :meth:`open`, close with :meth:`close` (which finishes queued writes first).

    Areas: ``events`` (the ledger), ``profiles`` (users.info cache), ``preferences``
    (workspace settings and personal choices), ``insights`` (network, leaderboard, stats),
    ``privacy`` (forgetting a person), ``offers`` (plain-words thanks offered for logging),
    ``asks`` (favour requests), ``dm_channels`` (each person's DM with the bot),
    ``channels`` (a channel's own language), ``send_counts`` (per-person limits, once-only
    messages), ``rollups`` (reaction thanks rolled up into one reply per message), ``topics``
    (what each person was thanked for: who could help with an ask).
    """

    def __init__(self, location: str, database: Database) -> None:
        self.path = location
        self.db = database
        self.events = HelpEventStore(self.db)
        self.profiles = ProfileStore(self.db)
        self.preferences = PreferenceStore(self.db)
        self.installations = InstallationStore(self.db)
        self.insights = InsightStore(self.db)
        self.privacy = PrivacyStore(self.db, forgotten=self._drop_cached)
        self.offers = OfferStore(self.db)
        self.asks = AskStore(self.db)
        self.ask_messages = AskMessageStore(self.db)  # the copies of each ask the bot posted
        self.nudges = NudgeStore(self.db)  # the scheduler's sent-once log
        self.activity = ActivityStore(self.db)  # read-only views for nudges and the digest
        self.dm_channels = DmChannelStore(self.db)  # conversations.open's answers, kept
        self.tombstones = TombstoneStore(self.db)  # reactions taken back (stale redeliveries)
        self.retention = RetentionStore(self.db)  # departed workspaces, erasing a workspace
        self.channels = ChannelStore(self.db)
        self.send_counts = SendCountStore(self.db)
        self.rollups = RollupStore(self.db)
        self.topics = TopicStore(self.db)  # what people were thanked for (who could help)

    def _drop_cached(self, team_id: str, user_id: str) -> None:
        self.profiles.drop_cached(team_id, user_id)
        self.preferences.drop_cached_user(team_id, user_id)
        self.send_counts.drop_cached(team_id, user_id)

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        """A SQLite store at ``path`` (see :func:`open_store` for database URLs)."""
        if migrate:
            conn = await db.connect(path)
            try:
                await db.migrate(conn)
            finally:
                await conn.close()
        writer = await db.Writer.open(path)
        reader = await db.connect(path, readonly=True)
        store = cls(str(path), db.Database(writer, reader, str(path)))
        writer.start()
        return store

    @classmethod
    async def open_postgres(cls, url: str, *, migrate: bool = True) -> Store:
        return cls(url, await PgDatabase.open(url, migrate=migrate))

    async def close(self) -> None:
        await self.db.close()

    async def schema_version(self) -> int:
        return await self.db.schema_version()

    async def ping(self) -> None:
        """Raise unless the database answers (the readiness probe; see the backends' ping)."""
        await self.db.ping()

    def observe(self, observer: StoreObserver) -> None:
        """Report writes (and SQLite's group commits) to ``observer`` from now on."""
        self.db.observer = observer

    def caches(self) -> tuple[TtlCache[object], ...]:
        """The in-memory caches, each counting its hits and misses."""
        return (*self.profiles.caches, *self.preferences.caches, *self.channels.caches)


async def open_store(url: str | DatabaseUrl, *, migrate: bool = True) -> Store:
    """Open (and migrate) the store the URL names."""
    parsed = url if isinstance(url, DatabaseUrl) else parse_database_url(url)
    if parsed.backend == "sqlite":
        return await Store.open(parsed.target, migrate=migrate)
    try:
        return await Store.open_postgres(parsed.target, migrate=migrate)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        # Connection refused, bad password, no such database: say so in one line.
        raise StoreUnavailable(f"cannot open {parsed}: {exc}") from exc
