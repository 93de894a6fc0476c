"""Which database a setting names: a SQLite file or a PostgreSQL URL, and how to print it.

Pure string handling (no driver imported), so settings can be checked before anything opens.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _redacted(url: str) -> str:
    """The URL without its password, for logs and messages."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
