-- The PostgreSQL twin of 0012_topics_and_asks.sql (the comments there say what each part is for).

ALTER TABLE help_events ADD COLUMN public INTEGER;

CREATE TABLE note_terms (
    event_id    BIGINT  PRIMARY KEY,
    team_id     TEXT    NOT NULL,
    helper_id   TEXT    NOT NULL,
    terms       TEXT    NOT NULL
);

CREATE TABLE topic_terms (
    team_id TEXT    NOT NULL,
    user_id TEXT    NOT NULL,
    term    TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id, term)
);
CREATE INDEX topic_terms_by_term ON topic_terms (team_id, term, n DESC, user_id);

CREATE TABLE topic_people (
    team_id TEXT    NOT NULL,
    user_id TEXT    NOT NULL,
    notes   INTEGER NOT NULL,
    length  INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE topic_words (
    team_id TEXT    NOT NULL,
    term    TEXT    NOT NULL,
    people  INTEGER NOT NULL DEFAULT 0,
    display TEXT    NOT NULL,
    PRIMARY KEY (team_id, term)
);

CREATE TABLE topic_build (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    build_until BIGINT  NOT NULL,
    done_team   TEXT    NOT NULL,
    done_helper TEXT    NOT NULL,
    counted     INTEGER NOT NULL
);
INSERT INTO topic_build (id, build_until, done_team, done_helper, counted)
SELECT 1, coalesce(max(id), 0), '', '', CASE WHEN count(*) = 0 THEN 1 ELSE 0 END
FROM help_events;

CREATE FUNCTION topic_words_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE topic_words SET people = people + 1
        WHERE team_id = NEW.team_id AND term = NEW.term;
    ELSE
        UPDATE topic_words SET people = people - 1
        WHERE team_id = OLD.team_id AND term = OLD.term;
        DELETE FROM topic_words WHERE team_id = OLD.team_id AND term = OLD.term AND people <= 0;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER topic_words_add AFTER INSERT ON topic_terms
    FOR EACH ROW EXECUTE FUNCTION topic_words_count();
CREATE TRIGGER topic_words_remove AFTER DELETE ON topic_terms
    FOR EACH ROW EXECUTE FUNCTION topic_words_count();

CREATE FUNCTION note_terms_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Terms in one order (the array's, sorted when written) for every writer: no deadlocks.
    UPDATE topic_terms SET n = n - 1 WHERE team_id = OLD.team_id AND user_id = OLD.helper_id
    AND term IN (SELECT json_array_elements_text(OLD.terms::json));
    DELETE FROM topic_terms WHERE team_id = OLD.team_id AND user_id = OLD.helper_id
    AND term IN (SELECT json_array_elements_text(OLD.terms::json)) AND n <= 0;
    UPDATE topic_people SET notes = notes - 1, length = length - json_array_length(OLD.terms::json)
    WHERE team_id = OLD.team_id AND user_id = OLD.helper_id;
    DELETE FROM topic_people WHERE team_id = OLD.team_id AND user_id = OLD.helper_id
    AND notes <= 0;
    RETURN NULL;
END;
$$;
CREATE TRIGGER note_terms_remove AFTER DELETE ON note_terms
    FOR EACH ROW EXECUTE FUNCTION note_terms_remove();

CREATE FUNCTION note_terms_event_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM note_terms WHERE event_id = OLD.id;
    ELSIF NEW.team_id IS DISTINCT FROM OLD.team_id OR NEW.giver_id IS DISTINCT FROM OLD.giver_id
        OR NEW.note IS DISTINCT FROM OLD.note THEN
        DELETE FROM note_terms WHERE event_id = OLD.id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER note_terms_event_gone AFTER DELETE ON help_events
    FOR EACH ROW EXECUTE FUNCTION note_terms_event_gone();
CREATE TRIGGER note_terms_event_changed AFTER UPDATE OF team_id, giver_id, note ON help_events
    FOR EACH ROW EXECUTE FUNCTION note_terms_event_gone();

ALTER TABLE asks ADD COLUMN touched_at BIGINT;
ALTER TABLE asks ADD COLUMN closed_by TEXT;

CREATE TABLE ask_declines (
    team_id    TEXT    NOT NULL,
    ask_id     BIGINT  NOT NULL REFERENCES asks (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (ask_id, user_id)
);
