"""Errors the store raises the same way on every backend."""

from __future__ import annotations

import sqlite3


class IntegrityError(sqlite3.IntegrityError):
    """A constraint said no (unique, check, foreign key, not null), on SQLite or PostgreSQL.

    It subclasses ``sqlite3.IntegrityError`` so code written against SQLite keeps catching it.
    """


class StoreUnavailable(Exception):
    """The database could not be opened (unreachable, refused, no such database)."""
