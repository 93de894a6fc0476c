"""Who could help and "known for", pure: BM25 over per-person postings, and the choices after."""

from __future__ import annotations

from bot.domain.suggest import (
    CorpusStats,
    KnownTerm,
    Posting,
    Tie,
    best_matches,
    bm25,
    pick_helpers,
    strengths,
    telling_terms,
)

STATS = CorpusStats(people=100, length=1000, df={"deploy": 5, "key": 40, "help": 90})


def test_rare_terms_are_the_telling_ones() -> None:
    assert telling_terms({"help", "deploy", "key", "unseen"}, STATS) == ["deploy", "key", "help"]


def test_bm25_rewards_more_notes_on_rarer_terms_with_diminishing_returns() -> None:
    scores = bm25(
        STATS,
        [
            Posting("UA", "deploy", 3, 10),
            Posting("UB", "deploy", 30, 10),
            Posting("UC", "key", 30, 10),
            Posting("UD", "deploy", 3, 100),  # the same notes, among many others
        ],
    )
    assert scores["UB"] > scores["UA"] > scores["UD"]
    assert scores["UB"] < 10 * scores["UA"]  # saturates (k1)
    assert scores["UA"] > scores["UC"] * 0.5  # a rare term weighs more than a common one


def test_weak_matches_are_dropped_in_a_large_team_but_not_a_small_one() -> None:
    scores = {"UA": 4.0, "UB": 2.0, "UC": 1.0}  # UC: under a third of the best
    assert best_matches(scores, people=100, limit=5) == [("UA", 4.0), ("UB", 2.0)]
    assert best_matches({"UA": 0.2}, people=100, limit=5) == []
    assert best_matches({"UA": 0.2, "UB": 0.05}, people=3, limit=5) == [("UA", 0.2)]


def test_the_askers_ties_come_first_and_skipped_people_never_appear() -> None:
    matches = [("UA", 3.0), ("UB", 2.4), ("UC", 2.2), ("UD", 2.0)]
    ties = {"UB": Tie(asker_helped=1, helped_asker=2), "UC": Tie(asker_helped=3)}
    chosen = pick_helpers(matches, ties, skip={"UA"})
    assert [(s.user_id, s.two_way) for s in chosen] == [("UB", True), ("UC", False), ("UD", False)]


def test_strengths_need_two_notes_and_count_a_loanword_once() -> None:
    terms = [
        KnownTerm("review", "review", 6, 10),
        KnownTerm("レビュー", "レビュー", 6, 10),
        KnownTerm("deploy", "deploy", 4, 2),
        KnownTerm("flaki", "flaky", 1, 1),
    ]
    chosen = strengths(terms, 100, aliases={"レビュー": "review"})
    assert [t.display for t in chosen] == ["deploy", "review"]
