"""What the store reports about its own work, to whoever watches it (the app's metrics).

Storage imports nothing of the app: the app hands the store a :class:`StoreObserver` of plain
callbacks (``Store.observe``), and the store calls them. The default observer does nothing, so
the CLI, the tests and the playground pay nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def _ignore(_: float) -> None:
    return None


@dataclass(frozen=True)
class StoreObserver:
    # Seconds one write took, from the call to its commit (queueing for the writer included).
    write_seconds: Callable[[float], None] = _ignore
    # How many writes one SQLite group commit carried (PostgreSQL commits each write alone).
    batch_size: Callable[[int], None] = _ignore


IGNORED = StoreObserver()
