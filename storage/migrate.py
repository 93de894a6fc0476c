"""The numbered schema migrations shipped with the store, for either SQL dialect.

``storage/migrations/NNNN_name.sql`` are SQLite's; ``storage/migrations/postgres/`` holds a
twin of each under the same name (tests/store/test_migrations.py checks that both end with
the same tables, columns and indexes). Each backend applies them its own way, one transaction
per migration, and records each in ``schema_migrations``: ``storage.backends.sqlite.migrate``
and ``storage.backends.postgres.apply_migrations``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

# Where each dialect's files live: the storage.migrations package, or a folder inside it.
SUBFOLDERS: dict[str, str | None] = {"sqlite": None, "postgresql": "postgres"}

# Which migrations a database has had; the same on both backends.
SCHEMA_MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str  # the file name without .sql, e.g. "0001_initial"
    sql: str


def load_migrations(dialect: str) -> list[Migration]:
    """The ``NNNN_name.sql`` files for ``dialect`` ("sqlite" or "postgresql"), in order."""
    if dialect not in SUBFOLDERS:
        raise ValueError(f"no migrations for {dialect!r} (known: {', '.join(SUBFOLDERS)})")
    folder = resources.files("storage.migrations")
    if (subfolder := SUBFOLDERS[dialect]) is not None:
        folder = folder.joinpath(subfolder)
    found = [
        Migration(int(entry.name[:4]), entry.name[:-4], entry.read_text())
        for entry in folder.iterdir()
        if entry.name.endswith(".sql") and entry.name[:4].isdigit()
    ]
    return sorted(found, key=lambda m: m.version)
