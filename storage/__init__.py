"""The async store: SQLite (aiosqlite, WAL) by default, PostgreSQL (asyncpg) by URL, with the
same numbered migrations for both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.store import Store

from storage.errors import StoreUnavailable

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEME = "sqlite:///"


@dataclass(frozen=True)
class DatabaseUrl:
    backend: str  # "sqlite" or "postgresql"
    target: str  # a file path, or the PostgreSQL URL as given

    def __str__(self) -> str:
        return self.target if self.backend == "sqlite" else _redacted(self.target)


def parse_database_url(raw: str) -> DatabaseUrl:
    """``postgresql://...``, ``sqlite:///path`` or a plain path (SQLite)."""
    value = raw.strip()
    if value.startswith(POSTGRES_SCHEMES):
        return DatabaseUrl("postgresql", value)
    if value.startswith(SQLITE_SCHEME):
        path = value[len(SQLITE_SCHEME) :]
        if not path:
            raise ValueError("sqlite:/// needs a path, e.g. sqlite:///giveback.db")
        return DatabaseUrl("sqlite", path)
    if "://" in value:
        raise ValueError(
            f"unsupported database URL scheme in {value.split('://', 1)[0]!r}://"
            " (use postgresql://, sqlite:/// or a file path)"
        )
    if not value:
        raise ValueError("the database setting is empty")
    return DatabaseUrl("sqlite", value)


async def open_store(url: str | DatabaseUrl, *, migrate: bool = True) -> Store:
    """Open (and migrate) the store the URL names."""
    from storage.store import Store

    parsed = url if isinstance(url, DatabaseUrl) else parse_database_url(url)
    if parsed.backend == "sqlite":
        return await Store.open(parsed.target, migrate=migrate)
    import asyncpg

    try:
        return await Store.open_postgres(parsed.target, migrate=migrate)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        # Connection refused, bad password, no such database: say so in one line.
        raise StoreUnavailable(f"cannot open {parsed}: {exc}") from exc


def _redacted(url: str) -> str:
    """The URL without its password, for logs and messages."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
