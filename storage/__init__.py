"""The async store: SQLite (aiosqlite, WAL) by default, PostgreSQL (asyncpg) by URL, with the
same numbered migrations for both.

What the rest of the app uses is published here: ``open_store(url)`` gives a :class:`Store`
(``storage/store.py``), whose areas (``store.events``, ``store.asks``, ...) each live in a
module of their own; ``parse_database_url`` reads the database setting. The backends
(``storage/backends/``) are the store's business, not the app's.
"""

from __future__ import annotations

from storage.errors import StoreUnavailable
from storage.store import Store, open_store
from storage.url import DatabaseUrl, parse_database_url

__all__ = ["DatabaseUrl", "Store", "StoreUnavailable", "open_store", "parse_database_url"]
