"""The generated workspace as a running bot would hold it: cached profiles with timezones.

The nudge sweep needs each person's timezone (and locale) from the users.info cache, and the
weekly digest needs a channel. ``with_profiles`` copies a generated workspace (bench/dataset.py)
once, adds those rows with a bench-only SQL load, and caches the copy beside it: the dataset
file itself stays as generated, so other benchmarks reading it are not affected.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bench.dataset import NOW, TEAM, Workspace, person
from storage import Store

PROFILES_VERSION = 1  # bump when the rows below change: cached copies are rebuilt
DIGEST_CHANNEL = "CDIGEST"
# (timezone, locale, share of people): a spread over the world, New York the most common,
# so the sweep at SWEEP_AT (Monday 10:30 in New York) also plans the weekly digest.
TIMEZONES: tuple[tuple[str | None, str, float], ...] = (
    ("America/New_York", "en-US", 0.30),
    ("America/Chicago", "en-US", 0.10),
    ("America/Los_Angeles", "en-US", 0.14),
    ("Europe/London", "en-GB", 0.10),
    ("Europe/Berlin", "de-DE", 0.10),
    ("Asia/Kolkata", "en-IN", 0.08),
    ("Asia/Tokyo", "ja-JP", 0.10),
    ("Australia/Sydney", "en-AU", 0.05),
    (None, "en-US", 0.03),  # users.info gave no timezone: never nudged
)
SWEEP_AT = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)  # the Monday after NOW
assert SWEEP_AT > NOW


def with_profiles(space: Workspace, seed: int = 7) -> Path:
    """A cached copy of ``space`` with a user_profiles row per person and digest settings."""
    path = space.path.with_name(f"{space.path.stem}-profiles-v{PROFILES_VERSION}.db")
    if path.exists() and _complete(path, space.people):
        asyncio.run(_migrate(path))  # migrations added since the copy was made
        return path
    path.unlink(missing_ok=True)
    temporary = path.with_suffix(".tmp")
    shutil.copyfile(space.path, temporary)
    asyncio.run(_migrate(temporary))  # a cached dataset may predate the newest migrations
    rng = np.random.default_rng(seed)
    shares = np.array([share for _, _, share in TIMEZONES])
    picks = rng.choice(len(TIMEZONES), size=space.people, p=shares / shares.sum())
    fetched = int(NOW.timestamp())
    rows = [
        (TEAM, person(i), f"person {i}", TIMEZONES[k][0], TIMEZONES[k][1], fetched)
        for i, k in enumerate(picks.tolist())
    ]
    conn = sqlite3.connect(temporary, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO user_profiles (team_id, user_id, name, tz, locale, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute(
            "INSERT INTO workspace_settings (team_id, settings, updated_at) VALUES (?, ?, ?)",
            (TEAM, json.dumps({"digest_channel": DIGEST_CHANNEL}), fetched),
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    temporary.replace(path)
    return path


def _complete(path: Path, people: int) -> bool:
    try:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT count(*) FROM user_profiles").fetchone()[0] == people
    except sqlite3.Error:
        return False


async def _migrate(path: Path) -> None:
    store = await Store.open(path)
    await store.close()
