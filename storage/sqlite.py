"""SqliteStore: the whole store, one area per attribute. Every method is scoped by ``team_id``."""

from __future__ import annotations

from pathlib import Path

import aiosqlite

from storage import db
from storage.activity import ActivityStore
from storage.asks import AskStore
from storage.events import HelpEventStore
from storage.insights import InsightStore
from storage.nudges import NudgeStore
from storage.offers import OfferStore
from storage.privacy import PrivacyStore
from storage.profiles import PreferenceStore, ProfileStore


class SqliteStore:
    """Open with :meth:`open`, close with :meth:`close` (which finishes queued writes first).

    Areas: ``events`` (the ledger), ``profiles`` (users.info cache), ``preferences``
    (workspace settings and personal choices), ``insights`` (network, leaderboard, stats),
    ``privacy`` (forgetting a person), ``offers`` (plain-words thanks offered for logging),
    ``asks`` (favour requests).
    """

    def __init__(
        self, path: str, writer_conn: aiosqlite.Connection, reader: aiosqlite.Connection
    ) -> None:
        self.path = path
        self._writer_conn = writer_conn
        self._reader = reader
        self.db = db.Database(db.Writer(writer_conn), reader)
        self.events = HelpEventStore(self.db)
        self.profiles = ProfileStore(self.db)
        self.preferences = PreferenceStore(self.db)
        self.insights = InsightStore(self.db)
        self.privacy = PrivacyStore(self.db)
        self.offers = OfferStore(self.db)
        self.asks = AskStore(self.db)
        self.nudges = NudgeStore(self.db)  # the scheduler's sent-once log
        self.activity = ActivityStore(self.db)  # read-only views for nudges and the digest

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> SqliteStore:
        writer_conn = await db.connect(path)
        if migrate:
            await db.migrate(writer_conn)
        reader = await db.connect(path, readonly=True)
        store = cls(str(path), writer_conn, reader)
        store.db.writer.start()
        return store

    async def close(self) -> None:
        await self.db.writer.stop()
        await self._reader.close()
        await self._writer_conn.close()

    async def schema_version(self) -> int:
        return await db.schema_version(self._reader)
