-- Who could help with an ask, and what each person is known for: the words of the notes of
-- thanks each person received, counted per person and term (storage/topics.py). Only notes
-- that giveback announced publicly are counted; a suggestion never quotes one.

-- Whether giveback announced this thanks in a channel (1) or only to the people involved (0),
-- decided when it was recorded (bot/domain/announce.py). NULL: recorded before this migration;
-- the index build decides by the same rule (source, channel, the workspace's setting now).
ALTER TABLE help_events ADD COLUMN public INTEGER;

-- The terms of each indexed note (storage/analyzer.py), kept so that a deleted event, a note
-- scrubbed by forget-me, or a helper rewritten takes exactly its own counts back out.
CREATE TABLE note_terms (
    event_id    INTEGER PRIMARY KEY,         -- help_events.id
    team_id     TEXT    NOT NULL,
    helper_id   TEXT    NOT NULL,            -- the giver of the help: thanked with these terms
    terms       TEXT    NOT NULL             -- a JSON array of distinct terms
);

-- Per person and term: in how many indexed notes they were thanked with it. Each person's
-- notes are one BM25 document; the second index reads a term's strongest people first.
CREATE TABLE topic_terms (
    team_id TEXT    NOT NULL,
    user_id TEXT    NOT NULL,
    term    TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id, term)
) WITHOUT ROWID;
CREATE INDEX topic_terms_by_term ON topic_terms (team_id, term, n DESC, user_id);

-- Per person: indexed notes, and their document length (the sum of their terms' n).
CREATE TABLE topic_people (
    team_id TEXT    NOT NULL,
    user_id TEXT    NOT NULL,
    notes   INTEGER NOT NULL,
    length  INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

-- Per term: how many people were thanked with it (BM25's document frequency, kept by the
-- triggers on topic_terms), and a readable form of it for "known for" (the shortest seen).
CREATE TABLE topic_words (
    team_id TEXT    NOT NULL,
    term    TEXT    NOT NULL,
    people  INTEGER NOT NULL DEFAULT 0,
    display TEXT    NOT NULL,
    PRIMARY KEY (team_id, term)
) WITHOUT ROWID;

-- Events recorded before this migration are indexed by a build that runs at start-up
-- (storage/topic_build.py), helper by helper: each transaction indexes some helpers' notes
-- whole and moves the cursor past the last of them. Events recorded after are indexed as they
-- are written. Not workspace data: one row.
CREATE TABLE topic_build (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    build_until INTEGER NOT NULL,            -- the last event id recorded before the index
    done_team   TEXT    NOT NULL,            -- the last helper done: (team_id, user_id), in
    done_helper TEXT    NOT NULL,            --   help_events_by_giver's order ('' before any)
    counted     INTEGER NOT NULL             -- 1: every older event is indexed
);
INSERT INTO topic_build (id, build_until, done_team, done_helper, counted)
SELECT 1, coalesce(max(id), 0), '', '', CASE WHEN count(*) = 0 THEN 1 ELSE 0 END
FROM help_events;

CREATE TRIGGER topic_words_add AFTER INSERT ON topic_terms
BEGIN
    UPDATE topic_words SET people = people + 1 WHERE team_id = NEW.team_id AND term = NEW.term;
END;

CREATE TRIGGER topic_words_remove AFTER DELETE ON topic_terms
BEGIN
    UPDATE topic_words SET people = people - 1 WHERE team_id = OLD.team_id AND term = OLD.term;
    DELETE FROM topic_words WHERE team_id = OLD.team_id AND term = OLD.term AND people <= 0;
END;

-- A note leaves the index: its terms' counts go down, rows that reach zero go.
CREATE TRIGGER note_terms_remove AFTER DELETE ON note_terms
BEGIN
    UPDATE topic_terms SET n = n - 1 WHERE team_id = OLD.team_id AND user_id = OLD.helper_id
    AND term IN (SELECT value FROM json_each(OLD.terms));
    DELETE FROM topic_terms WHERE team_id = OLD.team_id AND user_id = OLD.helper_id
    AND term IN (SELECT value FROM json_each(OLD.terms)) AND n <= 0;
    UPDATE topic_people SET notes = notes - 1, length = length - json_array_length(OLD.terms)
    WHERE team_id = OLD.team_id AND user_id = OLD.helper_id;
    DELETE FROM topic_people WHERE team_id = OLD.team_id AND user_id = OLD.helper_id
    AND notes <= 0;
END;

-- A deleted event (a reaction taken back), a changed note (forget-me blanks it) or a changed
-- helper (forget-me rewrites it) takes the note out of the index.
CREATE TRIGGER note_terms_event_gone AFTER DELETE ON help_events
BEGIN
    DELETE FROM note_terms WHERE event_id = OLD.id;
END;

CREATE TRIGGER note_terms_event_changed AFTER UPDATE OF team_id, giver_id, note ON help_events
WHEN NEW.team_id IS NOT OLD.team_id OR NEW.giver_id IS NOT OLD.giver_id
    OR NEW.note IS NOT OLD.note
BEGIN
    DELETE FROM note_terms WHERE event_id = OLD.id;
END;

-- Asks that close (bot/domain/followup.py): when the asker last said it is still needed (the
-- check-in and the automatic close count from it; NULL: since it was posted), and who closed
-- it: 'asker' or 'auto' (no offer for the workspace's autoclose_days).
ALTER TABLE asks ADD COLUMN touched_at INTEGER;
ALTER TABLE asks ADD COLUMN closed_by TEXT;

-- "Not this time": a person named in an ask said they cannot help with it. They are told
-- nothing more about it and it does not count as waiting on them; the asker is told kindly.
CREATE TABLE ask_declines (
    team_id    TEXT    NOT NULL,
    ask_id     INTEGER NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (ask_id, user_id)
);
