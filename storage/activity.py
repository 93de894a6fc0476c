"""Read-only views of the ledger for the scheduler: who is known, balances, ties, weekly numbers."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.domain.network import ANON_PREFIX
from bot.domain.records import Balance, PersonCount
from bot.domain.suggest import Tie
from storage.dbtypes import Database, to_epoch
from storage.dialect import dialect_of
from storage.events import window

ANON = ANON_PREFIX + "%"  # forgotten people: never nudged, never named


class ActivityStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = dialect_of(db)

    async def teams(self) -> list[str]:
        """Workspaces the bot has seen: any ledger entry, cached profile, saved settings or ask."""
        rows = await self._db.fetchall(
            "SELECT team_id FROM help_events UNION SELECT team_id FROM user_profiles"
            " UNION SELECT team_id FROM workspace_settings UNION SELECT team_id FROM asks ORDER BY 1"
        )
        return [row[0] for row in rows]

    async def people(self, team_id: str) -> list[str]:
        """Everyone the bot has seen in a workspace, except known bots and deactivated people."""
        rows = await self._db.fetchall(
            # help_daily names everyone with counted help (the first thanks of a pair on a
            # day always counts), in far fewer rows than the events themselves.
            "SELECT user_id FROM ("
            " SELECT user_id FROM user_profiles WHERE team_id = :t"
            " UNION SELECT DISTINCT user_id FROM help_daily WHERE team_id = :t) AS seen"
            " WHERE user_id NOT LIKE :anon"
            " AND user_id NOT IN (SELECT user_id FROM user_profiles WHERE team_id = :t"
            "   AND (is_bot = 1 OR deleted = 1))"
            " ORDER BY user_id",
            {"t": team_id, "anon": ANON},
        )
        return [row[0] for row in rows]

    async def balances(self, team_id: str, *, since: datetime) -> dict[str, Balance]:
        """Everyone's counted help: given and received since ``since``, and all time.

        Whole days come from the running totals; the rest of ``since``'s own day from events.
        """
        params = {"t": team_id, **window(to_epoch(since))}
        rows = await self._db.fetchall(
            "SELECT user_id, sum(CASE WHEN day > :d THEN given ELSE 0 END),"
            " sum(CASE WHEN day > :d THEN received ELSE 0 END), sum(given + received)"
            " FROM help_daily WHERE team_id = :t GROUP BY user_id",
            params,
        )
        partial = await self._db.fetchall(
            "SELECT giver_id, receiver_id FROM help_events WHERE team_id = :t AND counted = 1"
            " AND created_at >= :s AND created_at < :e",
            params,
        )
        given = Counter(row[0] for row in partial)
        received = Counter(row[1] for row in partial)
        return {
            row[0]: Balance(
                int(row[1]) + given[row[0]],
                int(row[2]) + received[row[0]],
                int(row[3]),
            )
            for row in rows
        }

    async def unreturned(self, team_id: str, user_id: str, *, since: datetime) -> list[PersonCount]:
        """Who helped ``user_id`` since ``since`` and was not helped back by them in that time."""
        rows = await self._db.fetchall(
            "SELECT giver_id, count(*) AS n, max(created_at) AS last FROM help_events h"
            " WHERE team_id = :t AND receiver_id = :u AND counted = 1 AND created_at >= :s"
            " AND giver_id NOT LIKE :anon AND NOT EXISTS (SELECT 1 FROM help_events b WHERE b.team_id = :t"
            "   AND b.giver_id = :u AND b.receiver_id = h.giver_id AND b.counted = 1"
            "   AND b.created_at >= :s)"
            " GROUP BY giver_id ORDER BY n DESC, last DESC",
            {"t": team_id, "u": user_id, "s": to_epoch(since), "anon": ANON},
        )
        return [PersonCount(row[0], row[1]) for row in rows]

    async def helpers_of(self, team_id: str, user_id: str) -> list[PersonCount]:
        """Everyone who ever helped ``user_id``, most often first."""
        rows = await self._db.fetchall(
            "SELECT giver_id, n FROM help_pairs"
            " WHERE team_id = ? AND receiver_id = ? AND giver_id NOT LIKE ?"
            " ORDER BY n DESC, last_at DESC, giver_id",
            (team_id, user_id, ANON),
        )
        return [PersonCount(row[0], row[1]) for row in rows]

    async def help_from(self, team_id: str, user_id: str, givers: list[str]) -> dict[str, int]:
        """How often each of ``givers`` helped ``user_id`` (those who never did are left out)."""
        if not givers:
            return {}
        marks = ", ".join("?" for _ in givers)  # one placeholder per giver, never their text
        rows = await self._db.fetchall(
            "SELECT giver_id, n FROM help_pairs WHERE team_id = ? AND receiver_id = ?"
            f" AND giver_id IN ({marks})",
            (team_id, user_id, *givers),
        )
        return {row[0]: int(row[1]) for row in rows}

    async def ties(self, team_id: str, user_id: str, others: list[str]) -> dict[str, Tie]:
        """What help went each way between ``user_id`` and each of ``others`` (none: left out)."""
        if not others:
            return {}
        marks = ", ".join("?" for _ in others)
        rows = await self._db.fetchall(
            "SELECT receiver_id, n, back FROM help_pairs WHERE team_id = ? AND giver_id = ?"
            f" AND receiver_id IN ({marks})",
            (team_id, user_id, *others),
        )
        ties = {row[0]: Tie(asker_helped=int(row[1]), helped_asker=int(row[2])) for row in rows}
        for giver, n in (await self.help_from(team_id, user_id, others)).items():
            if giver not in ties:  # they helped, and were never helped back
                ties[giver] = Tie(helped_asker=n)
        return ties

    async def thanks_count(self, team_id: str, *, since: datetime, until: datetime) -> int:
        row = await self._db.fetchone(
            "SELECT count(*) FROM help_events WHERE team_id = ? AND created_at >= ?"
            " AND created_at < ?",
            (team_id, to_epoch(since), to_epoch(until)),
        )
        return int(row[0]) if row else 0

    async def widest_helpers(
        self, team_id: str, *, since: datetime, until: datetime
    ) -> list[PersonCount]:
        """People by how many different colleagues they helped in the period."""
        rows = await self._db.fetchall(
            "SELECT giver_id, count(DISTINCT receiver_id) AS n, count(*) AS acts FROM help_events"
            " WHERE team_id = ? AND created_at >= ? AND created_at < ? AND giver_id NOT LIKE ?"
            " GROUP BY giver_id ORDER BY n DESC, acts DESC, giver_id",
            (team_id, to_epoch(since), to_epoch(until), ANON),
        )
        return [PersonCount(row[0], row[1]) for row in rows]

    async def new_ties(
        self, team_id: str, *, since: datetime, until: datetime
    ) -> list[tuple[str, str]]:
        """Pairs who became two-way (each has helped the other) within the period."""
        rows = await self._db.fetchall(
            # A pair became two-way when the later of its two first helps happened: so one of
            # them is a first help inside the period (a short range of help_pairs_by_first).
            "SELECT DISTINCT CASE WHEN a.giver_id < a.receiver_id THEN a.giver_id"
            "  ELSE a.receiver_id END AS one,"
            " CASE WHEN a.giver_id < a.receiver_id THEN a.receiver_id ELSE a.giver_id END AS other,"
            " CASE WHEN a.first_at > b.first_at THEN a.first_at ELSE b.first_at END AS tied"
            " FROM help_pairs a JOIN help_pairs b ON b.team_id = a.team_id"
            "  AND b.giver_id = a.receiver_id AND b.receiver_id = a.giver_id"
            " WHERE a.team_id = :t AND a.first_at >= :s AND a.first_at < :u"
            " AND b.first_at <= a.first_at"
            " AND a.giver_id NOT LIKE :anon AND a.receiver_id NOT LIKE :anon"
            " ORDER BY tied, one",
            {"t": team_id, "s": to_epoch(since), "u": to_epoch(until), "anon": ANON},
        )
        return [(row[0], row[1]) for row in rows]

    async def timezones(self, team_id: str) -> list[str | None]:
        rows = await self._db.fetchall(
            "SELECT tz FROM user_profiles WHERE team_id = ? AND is_bot = 0 AND deleted = 0",
            (team_id,),
        )
        return [row[0] for row in rows]

    async def hidden_from_top(self, team_id: str) -> set[str]:
        """People who asked not to appear in rankings."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM user_preferences WHERE team_id = ?"
            f" AND {self._dialect.hidden_from_top}",
            (team_id,),
        )
        return {row[0] for row in rows}
