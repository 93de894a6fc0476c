"""The topic index: what each person was thanked for, as BM25 postings (migration 0012).

A publicly announced note's terms (storage/analyzer.py) are indexed in the transaction that
records it (``index_notes``); deleting the event, blanking its note (forget-me) or rewriting its
helper takes them back out (triggers). Per person and term the index keeps a count, so a
query reads, per term, only the people thanked with it most often: a few hundred rows however
large the ledger, where a full-text index over the notes themselves ranks every matching note
(BENCHMARKS.md compares the two).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.suggest import CorpusStats, KnownTerm, Posting
from storage.analyzer import Terms
from storage.dbtypes import Connection, Database
from storage.dialect import Dialect

PER_TERM = 400  # people read per query term, most notes first
KNOWN_FOR_READ = 200  # a person's most frequent terms weighed for "known for"


@dataclass(frozen=True)
class IndexedNote:
    """The terms of one recorded, publicly announced note; ``helper_id`` was thanked with them
    (the event's giver: the one who gave help)."""

    event_id: int
    team_id: str
    helper_id: str
    terms: Terms


# One note (a /thanks) on PostgreSQL: the four writes below in one statement, one round trip
# instead of four inside the thanks' transaction, which holds its pair's lock meanwhile
# (measured at store level: 0.1-0.2 ms less client CPU per thanks). Sibling INSERTs of a WITH
# do not see each other's rows, but the AFTER triggers they queue (topic_words.people) run once
# the whole statement is done, and see all of it. Terms sorted: every writer locks rows in one
# order.
ONE_NOTE = (
    "WITH note AS (INSERT INTO note_terms (event_id, team_id, helper_id, terms)"
    " VALUES (:event, :team, :helper, :stored)),"
    " words AS (INSERT INTO topic_words (team_id, term, people, display)"
    " SELECT :team, w.term, 0, w.display FROM unnest(CAST(:terms AS text[]),"
    " CAST(:displays AS text[])) AS w (term, display) ORDER BY w.term"
    " ON CONFLICT (team_id, term) DO UPDATE SET display = excluded.display"
    " WHERE length(excluded.display) < length(topic_words.display)),"
    " counts AS (INSERT INTO topic_terms (team_id, user_id, term, n)"
    " SELECT :team, :helper, t.term, 1 FROM unnest(CAST(:terms AS text[])) AS t (term)"
    " ORDER BY t.term"
    " ON CONFLICT (team_id, user_id, term) DO UPDATE SET n = topic_terms.n + 1)"
    " INSERT INTO topic_people (team_id, user_id, notes, length)"
    " VALUES (:team, :helper, 1, :length)"
    " ON CONFLICT (team_id, user_id) DO UPDATE SET notes = topic_people.notes + 1,"
    " length = topic_people.length + excluded.length"
)


async def index_notes(
    conn: Connection, notes: Sequence[IndexedNote], dialect: Dialect | None = None
) -> None:
    """Add notes to the index inside the caller's transaction: their terms, and the counts."""
    notes = [n for n in notes if n.terms]
    if not notes:
        return
    if len(notes) == 1 and dialect is not None and dialect.writes_in_with:
        await _index_one(conn, notes[0])
        return
    await keep_note_terms(conn, notes)
    counts: Counter[tuple[str, str, str]] = Counter()
    people: Counter[tuple[str, str]] = Counter()
    lengths: Counter[tuple[str, str]] = Counter()
    for note in notes:
        for term in note.terms:
            counts[(note.team_id, note.helper_id, term)] += 1
        people[(note.team_id, note.helper_id)] += 1
        lengths[(note.team_id, note.helper_id)] += len(note.terms)
    # Every writer takes the rows in the same (sorted) order: PostgreSQL writers never deadlock.
    await conn.executemany(
        "INSERT INTO topic_terms (team_id, user_id, term, n) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (team_id, user_id, term) DO UPDATE SET n = topic_terms.n + excluded.n",
        [(*key, n) for key, n in sorted(counts.items())],
    )
    await conn.executemany(
        "INSERT INTO topic_people (team_id, user_id, notes, length) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (team_id, user_id) DO UPDATE SET notes = topic_people.notes"
        " + excluded.notes, length = topic_people.length + excluded.length",
        [(*key, n, lengths[key]) for key, n in sorted(people.items())],
    )


def stored_terms(terms: Iterable[str]) -> str:
    """A note's terms as note_terms keeps them (what the removal triggers read): sorted, JSON."""
    return json.dumps(sorted(terms), ensure_ascii=False)


async def _index_one(conn: Connection, note: IndexedNote) -> None:
    terms = sorted(note.terms)
    await conn.execute(
        ONE_NOTE,
        {
            "event": note.event_id,
            "team": note.team_id,
            "helper": note.helper_id,
            "stored": stored_terms(terms),
            "terms": terms,
            "displays": [note.terms[term] for term in terms],
            "length": len(terms),
        },
    )


async def keep_note_terms(conn: Connection, notes: Sequence[IndexedNote]) -> None:
    """Each note's terms (what a later removal subtracts), and each term's readable form."""
    await conn.executemany(
        "INSERT INTO note_terms (event_id, team_id, helper_id, terms) VALUES (?, ?, ?, ?)",
        [(n.event_id, n.team_id, n.helper_id, stored_terms(n.terms)) for n in notes if n.terms],
    )
    words: dict[tuple[str, str], str] = {}
    for note in notes:
        for term, surface in note.terms.items():
            key = (note.team_id, term)
            if key not in words or len(surface) < len(words[key]):
                words[key] = surface
    await conn.executemany(
        "INSERT INTO topic_words (team_id, term, people, display) VALUES (?, ?, 0, ?)"
        " ON CONFLICT (team_id, term) DO UPDATE SET display = excluded.display"
        " WHERE length(excluded.display) < length(topic_words.display)",
        [(team, term, display) for (team, term), display in sorted(words.items())],
    )


class TopicStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def stats(self, team_id: str, terms: Sequence[str]) -> CorpusStats:
        """How many people have notes, their total length, and how many were thanked with each
        of ``terms``."""
        row = await self._db.fetchone(
            "SELECT count(*), coalesce(sum(length), 0) FROM topic_people WHERE team_id = ?",
            (team_id,),
        )
        df: dict[str, int] = {}
        if terms:
            marks = ", ".join("?" for _ in terms)
            rows = await self._db.fetchall(
                f"SELECT term, people FROM topic_words WHERE team_id = ? AND term IN ({marks})",
                (team_id, *terms),
            )
            df = {r[0]: int(r[1]) for r in rows}
        people, length = (int(row[0]), int(row[1])) if row else (0, 0)
        return CorpusStats(people=people, length=length, df=df)

    async def postings(
        self, team_id: str, terms: Sequence[str], *, per_term: int = PER_TERM
    ) -> list[Posting]:
        """For each term, the ``per_term`` people thanked with it most often, with their length
        (one statement: a subquery per term, each reading the head of the term's index)."""
        if not terms:
            return []
        one = (
            "SELECT * FROM (SELECT t.term, t.user_id, t.n, p.length FROM topic_terms t"
            " JOIN topic_people p ON p.team_id = t.team_id AND p.user_id = t.user_id"
            " WHERE t.team_id = ? AND t.term = ? ORDER BY t.n DESC LIMIT ?) AS q{i}"
        )
        sql = " UNION ALL ".join(one.format(i=i) for i in range(len(terms)))
        params = [value for term in terms for value in (team_id, term, per_term)]
        rows = await self._db.fetchall(sql, params)
        return [Posting(r[1], r[0], int(r[2]), int(r[3])) for r in rows]

    async def known_terms(
        self, team_id: str, user_id: str, *, limit: int = KNOWN_FOR_READ
    ) -> tuple[int, list[KnownTerm]]:
        """The terms ``user_id`` was thanked with most often, and how many people have notes."""
        rows = await self._db.fetchall(
            "SELECT t.term, w.display, t.n, w.people FROM topic_terms t JOIN topic_words w"
            " ON w.team_id = t.team_id AND w.term = t.term"
            " WHERE t.team_id = ? AND t.user_id = ? ORDER BY t.n DESC, t.term LIMIT ?",
            (team_id, user_id, limit),
        )
        if not rows:
            return 0, []
        people = await self._db.fetchone(
            "SELECT count(*) FROM topic_people WHERE team_id = ?", (team_id,)
        )
        terms = [KnownTerm(r[0], r[1], int(r[2]), int(r[3])) for r in rows]
        return int(people[0]) if people else 0, terms
