"""Who could help with an ask, and what each person is known for, from the topic index.

Both run on the words colleagues used when they thanked people in public (storage/topics.py);
neither ever shows a note: a suggestion says only that colleagues thanked someone for similar
help, and "known for" is shown to the person themselves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection

from bot.domain.network import is_anonymous
from bot.domain.suggest import (
    SUGGESTED,
    Suggestion,
    best_matches,
    bm25,
    pick_helpers,
    strengths,
    telling_terms,
)
from bot.services.deps import Deps
from storage.analyzer import analyze, latin_terms, warm
from storage.topic_build import build_topics, pending, reset

log = logging.getLogger(__name__)
POOL = 20  # best matches looked at before leaving out the busy, the opted out and the asker
KNOWN_FOR = 3


async def who_could_help(
    deps: Deps,
    team_id: str,
    asker_id: str,
    text: str,
    *,
    named: Collection[str] = (),
    exclude_ask: int | None = None,
    limit: int = SUGGESTED,
) -> list[Suggestion]:
    """Up to ``limit`` colleagues likely to help with ``text``: thanked for similar help, the
    asker's own ties first; never the asker, the people already ``named``, the busy (open asks
    waiting on them, ``exclude_ask`` aside, at the workspace's busy setting) or anyone who chose
    not to be suggested. Reads only the store: fit for a slash command's 3-second ack."""
    terms = analyze(text)
    if not terms:
        return []
    topics = deps.store.topics
    stats = await topics.stats(team_id, list(terms))
    query = telling_terms(terms, stats)
    if not query:
        return []
    scores = bm25(stats, await topics.postings(team_id, query))
    matches = best_matches(scores, people=stats.people, limit=POOL)
    candidates = [user for user, _ in matches if user != asker_id and user not in named]
    skip = await unavailable(deps, team_id, candidates, exclude_ask=exclude_ask)
    ties = await deps.store.activity.ties(team_id, asker_id, candidates)
    return pick_helpers([m for m in matches if m[0] in candidates], ties, skip=skip, limit=limit)


async def unavailable(
    deps: Deps, team_id: str, users: list[str], *, exclude_ask: int | None = None
) -> set[str]:
    """Who among ``users`` must not be suggested: forgotten, not a person, opted out, or busy."""
    settings = await deps.workspace(team_id)
    load = await deps.store.asks.open_counts(team_id, users, exclude_ask=exclude_ask)
    profiles = await deps.store.profiles.many(team_id, users)
    choices = await deps.store.preferences.many(team_id, users)
    return {
        user
        for user in users
        if is_anonymous(user)
        or load.get(user, 0) >= settings.busy_asks
        or (user in profiles and not profiles[user].is_person)
        or not choices[user].suggestable
    }


async def known_for(deps: Deps, team_id: str, user_id: str, lang: str) -> list[str]:
    """The few things colleagues thank ``user_id`` for most, as words in ``lang`` where the
    index knows a word in both languages (review / レビュー)."""
    people, terms = await deps.store.topics.known_terms(team_id, user_id)
    aliases: dict[str, str] = {}  # a loanword's term -> the English stem's term
    english: dict[str, str] = {}  # either term -> the English word
    japanese: dict[str, str] = {}  # either term -> the loanword in katakana
    for term in terms:
        found = latin_terms(term.display.lower()) if term.display.isascii() else ()
        for alias, surface in found[1:]:
            aliases[alias] = term.term
            english[alias] = english[term.term] = term.display
            japanese[alias] = japanese[term.term] = surface
    chosen = strengths(terms, people, aliases=aliases, limit=KNOWN_FOR)
    words = japanese if lang == "ja" else english
    return [words.get(term.term, term.display) for term in chosen]


async def index_pending(deps: Deps) -> bool:
    """Whether events recorded before the topic index still wait for :func:`build_index`."""
    return await pending(deps.store.db)


async def build_index(deps: Deps) -> int:
    """Load the analyser, then index the events recorded before the topic index existed (a
    no-op once done); run in the background at start-up."""
    await asyncio.to_thread(warm)
    built = await build_topics(deps.store.db, deps.workspace)
    if built:
        log.info("topic index built over %d older events", built)
    return built


async def rebuild_index(deps: Deps) -> int:
    """Empty the topic index and build it again from every event (after the analyser or its
    dictionary changed); return how many events were read."""
    await reset(deps.store.db)
    return await build_index(deps)
