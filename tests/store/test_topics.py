"""The topic index against a recount of the public notes themselves, on both backends.

After random mixes of recording (public and private notes, in English and Japanese), reaction
removal (delete), resolving asks and forget-me, every count the index keeps (per person and
term, per person, per term) must equal what the analyser makes of the events still stored.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.domain.records import HelpEvent
from storage import Store, topic_build
from storage.analyzer import analyze
from storage.backends import sqlite as sqlite_db
from storage.topic_build import build_topics

TEAM, OTHER = "T0001", "T0002"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
PEOPLE = [f"U{i}" for i in range(5)]
NOTES = [
    "for the review of the billing fix",
    "for fixing the deploy at midnight",
    "rotating the deploy keys",
    "本番環境のデプロイを手伝っていただきありがとうございました",
    "コードレビューで丁寧に指摘してくださり助かりました",
    "for the help",
    "",
]


def random_events(rng: random.Random, n: int, start: int = 0) -> list[HelpEvent]:
    events = []
    for i in range(start, start + n):
        giver, receiver = rng.sample(PEOPLE, 2)
        events.append(
            HelpEvent(
                rng.choice([TEAM, TEAM, OTHER]),
                giver,
                receiver,
                rng.choice(NOTES),
                "command",
                "C1",
                NOW - timedelta(minutes=i),
                key=f"k{i}",
                public=rng.random() < 0.8,
            )
        )
    return events


def _recorded_public(event: HelpEvent) -> bool:
    return event.public


async def recount(
    store: Store, public: Callable[[HelpEvent], bool] = _recorded_public
) -> tuple[Counter, Counter, Counter]:
    """Per (team, person, term), per (team, person) [notes, length], per (team, term) people."""
    terms: Counter = Counter()
    notes: Counter = Counter()
    length: Counter = Counter()
    async for event in store.events.export():
        if not public(event) or not (found := analyze(event.note)):
            continue
        for term in found:
            terms[(event.team_id, event.giver_id, term)] += 1
        notes[(event.team_id, event.giver_id)] += 1
        length[(event.team_id, event.giver_id)] += len(found)
    people = Counter((team, term) for team, _user, term in terms)
    return terms, Counter({k: (notes[k], length[k]) for k in notes}), people


async def assert_index_matches(
    store: Store, public: Callable[[HelpEvent], bool] = _recorded_public
) -> None:
    terms, people, words = await recount(store, public)
    rows = await store.db.fetchall("SELECT team_id, user_id, term, n FROM topic_terms")
    assert Counter({(r[0], r[1], r[2]): int(r[3]) for r in rows}) == terms
    rows = await store.db.fetchall("SELECT team_id, user_id, notes, length FROM topic_people")
    assert {(r[0], r[1]): (int(r[2]), int(r[3])) for r in rows} == dict(people)
    rows = await store.db.fetchall("SELECT team_id, term, people FROM topic_words")
    assert {(r[0], r[1]): int(r[2]) for r in rows} == dict(words)
    indexed = await store.db.fetchall("SELECT count(*) FROM note_terms")
    assert int(indexed[0][0]) == sum(n for n, _ in people.values())


async def test_index_follows_writes_deletes_and_forget_me(store: Store) -> None:
    rng = random.Random(7)
    events = random_events(rng, 120)
    await store.events.record(events[:60], daily_cap=50)
    for event in events[60:]:  # one at a time too: the path a /thanks takes
        await store.events.record([event], daily_cap=50)
    await assert_index_matches(store)
    for event in rng.sample(events, 25):  # reactions taken back
        await store.events.delete(team_id=event.team_id, key=event.key)
    await assert_index_matches(store)
    await store.privacy.forget(team_id=TEAM, user_id="U1")
    await assert_index_matches(store)
    rows = await store.db.fetchall(
        "SELECT count(*) FROM topic_terms WHERE team_id = ? AND user_id = ?", (TEAM, "U1")
    )
    assert rows[0][0] == 0
    rows = await store.db.fetchall(
        "SELECT count(*) FROM note_terms WHERE team_id = ? AND helper_id = ?", (TEAM, "U1")
    )
    assert rows[0][0] == 0


async def test_private_notes_are_never_indexed(store: Store) -> None:
    event = HelpEvent(
        TEAM, "U1", "U2", "for the secret salary talk", "modal", None, NOW, key="p", public=False
    )
    await store.events.record([event])
    stats = await store.topics.stats(TEAM, ["salari"])
    assert stats.people == 0 and stats.df == {}


async def test_known_terms_and_postings_read_the_counts(store: Store) -> None:
    events = [
        HelpEvent(TEAM, "U1", f"U{2 + i % 3}", note, "command", "C1", NOW, key=f"e{i}", public=True)
        for i, note in enumerate(
            ["for the deploy", "deploy keys again", "the deploy", "review of billing"]
        )
    ]
    await store.events.record(events, daily_cap=50)
    stats = await store.topics.stats(TEAM, ["deploy", "key", "nothing"])
    assert (stats.people, stats.df) == (1, {"deploy": 1, "key": 1})
    postings = await store.topics.postings(TEAM, ["deploy"])
    assert [(p.user_id, p.n) for p in postings] == [("U1", 3)]
    people, known = await store.topics.known_terms(TEAM, "U1")
    assert people == 1
    assert known[0].term == "deploy" and known[0].display == "deploy" and known[0].n == 3


async def test_build_indexes_events_from_before_the_index(tmp_path, monkeypatch) -> None:
    """A ledger from before 0012: the build reads older events by the announce rule (in worker
    processes for the bulk), skips private ones, and matches a recount; a second run does
    nothing."""
    path = tmp_path / "old.db"
    conn = await sqlite_db.connect(path)
    await sqlite_db.migrate(conn, upto=8)
    rng = random.Random(3)
    events = random_events(rng, 300)
    sources = ["command", "modal", "reaction", "command"]
    for i, event in enumerate(events):
        await conn.execute(
            "INSERT INTO help_events (team_id, giver_id, receiver_id, note, source, channel_id,"
            " created_at, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.team_id,
                event.giver_id,
                event.receiver_id,
                event.note,
                sources[i % 4],
                "D1" if i % 7 == 0 else "C1",
                int(event.created_at.timestamp()),
                event.key,
            ),
        )
    await conn.commit()
    await conn.close()
    monkeypatch.setattr(topic_build, "IN_PROCESS", 100)  # the worker-process path, at a small size
    store = await Store.open(path)
    try:
        seen: list[tuple[int, int]] = []
        read = await build_topics(
            store.db, store.preferences.workspace, batch=40, workers=1, progress=_track(seen)
        )
        assert read == 300 and seen[-1] == (300, 300)
        await assert_index_matches(store, public=_older_rule)
        assert await build_topics(store.db, store.preferences.workspace) == 0
        new = random_events(rng, 20, start=1000)
        await store.events.record(new, daily_cap=50)  # indexed as written, after the build
        await assert_index_matches(store, public=_older_rule)
    finally:
        await store.close()


def _track(seen: list[tuple[int, int]]):
    return lambda done, total: seen.append((done, total))


def _older_rule(event: HelpEvent) -> bool:
    if int(event.key[1:]) >= 1000:  # recorded after the index: as recorded
        return event.public
    return event.source in ("command", "reaction") and (event.channel_id or "").startswith("C")
