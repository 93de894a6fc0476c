"""Read-only views of the ledger for the scheduler: who is known, balances, ties, weekly numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.network import ANON_PREFIX
from bot.domain.records import Balance, PersonCount
from bot.domain.suggest import Tie
from storage.dbtypes import Database, from_epoch, to_epoch
from storage.dialect import dialect_of
from storage.events import window

ANON = ANON_PREFIX + "%"  # forgotten people: never nudged, never named


class ActivityStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = dialect_of(db)

    async def teams(self) -> list[str]:
        """Workspaces the bot has seen: any help event, cached profile, saved settings or ask."""
        rows = await self._db.fetchall(
            "SELECT team_id FROM help_events UNION SELECT team_id FROM user_profiles"
            " UNION SELECT team_id FROM workspace_settings UNION SELECT team_id FROM asks ORDER BY 1"
        )
        return [row[0] for row in rows]

    async def balances(self, team_id: str, *, since: datetime) -> dict[str, Balance]:
        """Everyone's giving and asking since ``since``, and their help events ever.

        Only people who have started using giveback (any help, ask or offer) are in it.
        """
        params = {"t": team_id, **window(to_epoch(since))}
        return await self._balances(EVERYONE, params)

    async def balance(self, team_id: str, user_id: str, *, since: datetime) -> Balance:
        """One person's :meth:`balances` entry (``Balance()`` if they never used giveback)."""
        params = {"t": team_id, "u": user_id, **window(to_epoch(since))}
        return (await self._balances(ONE_PERSON, params)).get(user_id, Balance())

    async def _balances(self, reads: tuple[str, ...], params: dict[str, Any]) -> dict[str, Balance]:
        """Sum the parts of the one definition (``BALANCE_PARTS``), person by person."""
        sums: dict[str, list[int]] = {}
        for sql in reads:
            for row in await self._db.fetchall(sql, params):
                mine = sums.setdefault(row[0], [0, 0, 0])
                for i in range(3):
                    mine[i] += int(row[i + 1])
        return {
            user: Balance(giving=giving, asking=asking, events=events, started=True)
            for user, (giving, asking, events) in sums.items()
        }

    async def prompted(self, team_id: str, *, since: datetime) -> dict[str, datetime]:
        """Who saw the give-first prompt since ``since``, and when they last did."""
        rows = await self._db.fetchall(
            # No GROUP BY: grouping by asker would lead the planner to the asker index and
            # past every ask ever; the prompts of a day are few.
            "SELECT asker_id, prompted_at FROM asks WHERE team_id = ? AND prompted_at >= ?",
            (team_id, to_epoch(since)),
        )
        latest: dict[str, datetime] = {}
        for asker, at in rows:
            moment = from_epoch(at)
            latest[asker] = max(moment, latest.get(asker, moment))
        return latest

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


# The one definition of giving and asking (bot.domain.records.Balance), read by /ask's
# give-first check (one person) and the sweep (everyone): each part gives (user, giving,
# asking, events) and a person's balance is their sum. Whole days after the window's first day
# come from the running totals (help_daily, favour_daily), the rest of that first day from the
# rows themselves; help events of any day count for ``events``. Thanks a person volunteered sit
# in help_daily.received only, which neither side reads: gratitude costs the thanker nothing.
# Three statements, not one UNION: each streams over its table's key in order (a UNION would
# sort every row of the workspace first, four times slower at 5 M events).
BALANCE_PARTS = (
    "SELECT user_id, sum(CASE WHEN day > :d THEN given ELSE 0 END), 0, sum(given + received)"
    " FROM help_daily WHERE team_id = :t{user} GROUP BY user_id",
    "SELECT user_id, sum(CASE WHEN day > :d THEN offers ELSE 0 END),"
    " sum(CASE WHEN day > :d THEN asks + ask_help ELSE 0 END), 0"
    " FROM favour_daily WHERE team_id = :t{user} GROUP BY user_id",
    "SELECT user_id, sum(giving), sum(asking), 0 FROM ("
    " SELECT giver_id AS user_id, 1 AS giving, 0 AS asking FROM help_events"
    "  WHERE team_id = :t AND counted = 1 AND created_at >= :s AND created_at < :e{giver}"
    " UNION ALL SELECT user_id, 1, 0 FROM ask_people WHERE team_id = :t AND role = 'offered'"
    "  AND created_at >= :s AND created_at < :e{user}"
    # Posted asks only; spelled as a list so the indexes serve the first day.
    " UNION ALL SELECT asker_id, 0, 1 FROM asks WHERE team_id = :t"
    "  AND status IN ('open', 'resolved', 'withdrawn') AND created_at >= :s AND created_at < :e{asker}"
    " UNION ALL SELECT receiver_id, 0, 1 FROM help_events WHERE team_id = :t AND counted = 1"
    "  AND source = 'ask' AND created_at >= :s AND created_at < :e{receiver}"
    ") AS first_day GROUP BY user_id",
)
EVERYONE = tuple(part.format(user="", giver="", asker="", receiver="") for part in BALANCE_PARTS)
ONE_PERSON = tuple(
    part.format(
        user=" AND user_id = :u",
        giver=" AND giver_id = :u",
        asker=" AND asker_id = :u",
        receiver=" AND receiver_id = :u",
    )
    for part in BALANCE_PARTS
)
