"""Aggregates for insight: each person's counterparts, the breadth leaderboard, workspace stats.

Per-person views read the running totals (help_pairs, kept by triggers); the windowed
leaderboard aggregates events over the (team, giver, receiver, time) index. No query loads
individual events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.network import ANON_PREFIX, Breadth, Counterpart
from storage.dbtypes import Database, from_epoch, to_epoch
from storage.dialect import dialect_of


@dataclass(frozen=True)
class TeamStats:
    team_id: str
    events: int
    people: int
    two_way_ties: int
    open_asks: int


TIE_FLOORS = (256, 64, 16, 4, 1)
STRONGEST_TIES = (
    "SELECT a.receiver_id, a.n, b.n, a.last_at, b.last_at"
    " FROM help_pairs AS a JOIN help_pairs AS b ON b.team_id = a.team_id"
    "  AND b.giver_id = a.receiver_id AND b.receiver_id = a.giver_id"
    " WHERE a.team_id = :t AND a.giver_id = :u AND a.receiver_id NOT LIKE :anon"
    # a.back is b.n, read from the index: only pairs over the floor both ways are joined.
    " AND a.n >= :floor AND a.back >= :floor AND b.n >= :floor"
    # bot.domain.network.real_network's order: the weaker side, the total, the latest, the id.
    " ORDER BY CASE WHEN a.n < b.n THEN a.n ELSE b.n END DESC, a.n + b.n DESC,"
    "  CASE WHEN a.last_at > b.last_at THEN a.last_at ELSE b.last_at END DESC,"
    "  a.receiver_id LIMIT :limit"
)


class InsightStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = dialect_of(db)

    async def counterparts(
        self, *, team_id: str, user_id: str, limit: int | None = None
    ) -> list[Counterpart]:
        """Everyone ``user_id`` exchanged counted help with, with counts and last moments.

        With ``limit``, only the candidates ``bot.domain.network`` can show: the ``limit`` strongest
        two-way ties and the ``limit`` people most owed a thank-you, chosen in SQL in the same
        order ``real_network`` and ``thank_back`` use. The busiest people have tens of
        thousands of counterparts; the views show ten of each.
        """
        if limit is not None:
            return await self._strongest(team_id, user_id, limit)
        rows = await self._db.fetchall(
            # CAST: PostgreSQL sums counts as numeric; both backends agree on INTEGER.
            "SELECT other, CAST(sum(given) AS INTEGER), CAST(sum(received) AS INTEGER),"
            " max(last_given), max(last_received) FROM ("
            "  SELECT receiver_id AS other, n AS given, 0 AS received,"
            "   last_at AS last_given, NULL AS last_received"
            "  FROM help_pairs WHERE team_id = :t AND giver_id = :u"
            " UNION ALL"
            "  SELECT giver_id, 0, n, NULL, last_at"
            "  FROM help_pairs WHERE team_id = :t AND receiver_id = :u"
            ") AS exchanges GROUP BY other",
            {"t": team_id, "u": user_id},
        )
        return [
            Counterpart(
                user_id=row[0],
                given=row[1],
                received=row[2],
                last_given=from_epoch(row[3]) if row[3] is not None else None,
                last_received=from_epoch(row[4]) if row[4] is not None else None,
            )
            for row in rows
        ]

    async def _strongest(self, team_id: str, user_id: str, limit: int) -> list[Counterpart]:
        params = {"t": team_id, "u": user_id, "anon": ANON_PREFIX + "%", "limit": limit}
        # The busiest people have ten thousand ties or more. If ``limit`` ties have both sides
        # at least k, the strongest ``limit`` are among them: so try a high floor first (a
        # short index range) and lower it only when too few ties clear it. Exact.
        for floor in TIE_FLOORS:
            ties = await self._db.fetchall(STRONGEST_TIES, {**params, "floor": floor})
            if len(ties) >= limit:
                break
        owed = await self._db.fetchall(
            # back = 0: the person never helped them in return (read from the index, no join).
            "SELECT giver_id, n, last_at FROM help_pairs"
            " WHERE team_id = :t AND receiver_id = :u AND back = 0 AND giver_id NOT LIKE :anon"
            # bot.domain.network.thank_back's order: most help, the latest, the id.
            " ORDER BY n DESC, last_at DESC, giver_id LIMIT :limit",
            params,
        )
        return [
            Counterpart(row[0], row[1], row[2], from_epoch(row[3]), from_epoch(row[4]))
            for row in ties
        ] + [Counterpart(row[0], 0, row[1], None, from_epoch(row[2])) for row in owed]

    async def breadth(
        self, *, team_id: str, since: datetime | None, limit: int = 10
    ) -> list[Breadth]:
        """Givers by how many different colleagues they helped since ``since``.

        People who chose to hide and forgotten people are left out here already, so the
        limit counts only people who may be shown.
        """
        rows = await self._db.fetchall(
            "SELECT giver_id, count(DISTINCT receiver_id) AS colleagues, count(*) AS n,"
            " max(created_at) AS last"
            " FROM help_events"
            " WHERE team_id = :t AND counted = 1 AND created_at >= :s"
            " AND giver_id NOT LIKE :anon"
            " AND giver_id NOT IN (SELECT user_id FROM user_preferences WHERE team_id = :t"
            f"   AND {self._dialect.hidden_from_top})"
            " GROUP BY giver_id ORDER BY colleagues DESC, last DESC, giver_id LIMIT :limit",
            {
                "t": team_id,
                "s": to_epoch(since) if since is not None else 0,
                "anon": ANON_PREFIX + "%",
                "limit": limit,
            },
        )
        return [Breadth(row[0], row[1], row[2], from_epoch(row[3])) for row in rows]

    async def stats(self, *, team_id: str | None = None) -> list[TeamStats]:
        """One summary per workspace (or just ``team_id``): events, people, two-way ties, asks."""
        teams = (
            [team_id]
            if team_id is not None
            else [
                row[0]
                for row in await self._db.fetchall(
                    "SELECT DISTINCT team_id FROM help_events ORDER BY team_id"
                )
            ]
        )
        return [await self._team_stats(team) for team in teams]

    async def _team_stats(self, team_id: str) -> TeamStats:
        row = await self._db.fetchone(
            "SELECT count(*) FROM help_events WHERE team_id = ?", (team_id,)
        )
        people = await self._db.fetchone(
            "SELECT count(*) FROM (SELECT giver_id FROM help_events WHERE team_id = :t"
            " UNION SELECT receiver_id FROM help_events WHERE team_id = :t) AS people",
            {"t": team_id},
        )
        ties = await self._db.fetchone(
            "SELECT count(*) FROM help_pairs"
            " WHERE team_id = :t AND giver_id < receiver_id AND back > 0",
            {"t": team_id},
        )
        asks = await self._db.fetchone(
            "SELECT count(*) FROM asks WHERE team_id = ? AND status = 'open'", (team_id,)
        )
        return TeamStats(
            team_id=team_id,
            events=row[0] if row else 0,
            people=people[0] if people else 0,
            two_way_ties=ties[0] if ties else 0,
            open_asks=asks[0] if asks else 0,
        )
