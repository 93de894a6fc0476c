"""Who could help with an ask, and what a person is known for: pure ranking over the topic index.

Each person's publicly announced notes of thanks are one document (the "candidate model" of
expert finding: Balog, Azzopardi and de Rijke, SIGIR 2006), scored against the ask's terms with
BM25 (Robertson and Zaragoza, 2009). The store hands over, per query term, the people thanked
with it most often; these functions only do arithmetic and ordering, so they are easy to test.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

K1 = 1.2  # how quickly more notes about a term stop adding to the score
B = 0.75  # how much a person's many notes on other things dilute it
QUERY_TERMS = 8  # the ask's most telling terms that are looked up
SUGGESTED = 3
MIN_SCORE = 0.5  # below this, a match is a coincidence of common words...
SMALL_TEAM = 20  # ...except among this few people, where everyone thanked for it is worth a word
RELATIVE_FLOOR = 0.35  # and nobody far weaker than the best match is suggested
TWO_WAY_BOOST = 1.5  # the asker's real network first: help already went both ways
HELPED_BOOST = 1.25  # then people the asker helped
KNOWN_FOR = 3
KNOWN_FOR_MIN_NOTES = 2  # a strength is something colleagues thanked you for more than once


@dataclass(frozen=True)
class Posting:
    """``user_id`` was thanked with ``term`` in ``n`` notes; ``length``: their document length."""

    user_id: str
    term: str
    n: int
    length: int


@dataclass(frozen=True)
class CorpusStats:
    """The workspace's index: people with notes, their total length, people per term."""

    people: int
    length: int
    df: Mapping[str, int]

    @property
    def average_length(self) -> float:
        return self.length / self.people if self.people else 0.0

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.people - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class Tie:
    """What help went between the asker and a candidate."""

    asker_helped: int = 0  # times the asker helped them
    helped_asker: int = 0  # times they helped the asker

    @property
    def two_way(self) -> bool:
        return self.asker_helped > 0 and self.helped_asker > 0


@dataclass(frozen=True)
class Suggestion:
    user_id: str
    score: float
    two_way: bool = False


def telling_terms(
    terms: Collection[str], stats: CorpusStats, limit: int = QUERY_TERMS
) -> list[str]:
    """The ask's terms that anyone was thanked with, rarest (most telling) first."""
    known = [t for t in terms if stats.df.get(t, 0) > 0]
    return sorted(known, key=lambda t: (-stats.idf(t), t))[:limit]


def bm25(stats: CorpusStats, postings: Sequence[Posting]) -> dict[str, float]:
    """Each person's BM25 score for the query whose postings these are."""
    average = stats.average_length or 1.0
    scores: dict[str, float] = {}
    for p in postings:
        norm = K1 * (1 - B + B * p.length / average)
        gain = stats.idf(p.term) * p.n * (K1 + 1) / (p.n + norm)
        scores[p.user_id] = scores.get(p.user_id, 0.0) + gain
    return scores


def best_matches(
    scores: Mapping[str, float], *, people: int, limit: int
) -> list[tuple[str, float]]:
    """The strongest matches worth considering, best first. ``people``: how many have notes.

    In a small team a term everyone was thanked with scores near zero (BM25's idf), yet those
    people did help with it: there only the relative floor applies."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    least = MIN_SCORE if people >= SMALL_TEAM else 0.0
    if not ranked or ranked[0][1] <= least:
        return []
    floor = max(least, ranked[0][1] * RELATIVE_FLOOR)
    return [(user, score) for user, score in ranked if score >= floor][:limit]


def pick_helpers(
    matches: Sequence[tuple[str, float]],
    ties: Mapping[str, Tie],
    *,
    skip: Collection[str],
    limit: int = SUGGESTED,
) -> list[Suggestion]:
    """Up to ``limit`` people to suggest: the asker's two-way ties, then people the asker
    helped, weigh more; ``skip`` (the asker, the busy, those who opted out) never appear."""
    chosen = []
    for user, score in matches:
        if user in skip:
            continue
        tie = ties.get(user, Tie())
        boost = TWO_WAY_BOOST if tie.two_way else HELPED_BOOST if tie.asker_helped else 1.0
        chosen.append(Suggestion(user, score * boost, tie.two_way))
    chosen.sort(key=lambda s: (-s.score, s.user_id))
    return chosen[:limit]


@dataclass(frozen=True)
class KnownTerm:
    """One term a person was thanked with: in ``n`` notes; ``people``: how many were."""

    term: str
    display: str
    n: int
    people: int


def strengths(
    terms: Sequence[KnownTerm],
    people: int,
    *,
    aliases: Mapping[str, str] | None = None,
    limit: int = KNOWN_FOR,
) -> list[KnownTerm]:
    """What a person is thanked for most, as tf-idf: often for them, rarely for everyone.

    ``aliases`` maps a term to another that says the same (a loanword to its English stem), so
    "review" and "レビュー" count once, under the stronger of the two.
    """
    aliases = aliases or {}
    best: dict[str, tuple[float, KnownTerm]] = {}
    for term in terms:
        if term.n < KNOWN_FOR_MIN_NOTES:
            continue
        weight = term.n * math.log(1 + people / max(term.people, 1))
        key = aliases.get(term.term, term.term)
        if key not in best or weight > best[key][0]:
            best[key] = (weight, term)
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].display))
    return [term for _, term in ranked[:limit]]
