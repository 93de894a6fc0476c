-- PostgreSQL twin of ../0007_totals.sql: running totals kept by a trigger on help_events.
CREATE TABLE help_daily (
    team_id  TEXT    NOT NULL,
    user_id  TEXT    NOT NULL,
    day      BIGINT  NOT NULL,
    given    INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, user_id, day)
);

CREATE TABLE help_pairs (
    team_id     TEXT    NOT NULL,
    giver_id    TEXT    NOT NULL,
    receiver_id TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    first_at    BIGINT  NOT NULL,
    last_at     BIGINT  NOT NULL,
    back        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, giver_id, receiver_id)
);

INSERT INTO help_daily (team_id, user_id, day, given, received)
SELECT team_id, user_id, day, sum(given), sum(received) FROM (
    SELECT team_id, giver_id AS user_id, created_at / 86400 AS day, 1 AS given, 0 AS received
    FROM help_events WHERE counted = 1
    UNION ALL
    SELECT team_id, receiver_id, created_at / 86400, 0, 1 FROM help_events WHERE counted = 1
) AS acts
GROUP BY team_id, user_id, day;

INSERT INTO help_pairs (team_id, giver_id, receiver_id, n, first_at, last_at)
SELECT team_id, giver_id, receiver_id, count(*), min(created_at), max(created_at)
FROM help_events WHERE counted = 1
GROUP BY team_id, giver_id, receiver_id;

UPDATE help_pairs SET back = r.n FROM help_pairs AS r
WHERE r.team_id = help_pairs.team_id AND r.giver_id = help_pairs.receiver_id
AND r.receiver_id = help_pairs.giver_id;

-- Most help first for both sides: a person's top helpers and top helped are the first rows
-- of these, and each covers the network view without visiting the table. Built after the
-- backfill, which is faster than keeping them up row by row.
CREATE INDEX help_pairs_by_giver_count
    ON help_pairs (team_id, giver_id, n DESC, last_at DESC, receiver_id, back);
CREATE INDEX help_pairs_by_receiver_count
    ON help_pairs (team_id, receiver_id, n DESC, last_at DESC, giver_id, back);
-- The digest's new two-way ties: pairs whose first help falls in the week.
CREATE INDEX help_pairs_by_first ON help_pairs (team_id, first_at);

CREATE FUNCTION help_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.counted = 1 THEN
        -- Each person's day row is locked in user id order by every writer: no deadlocks.
        UPDATE help_daily
        SET given = given - CASE WHEN user_id = OLD.giver_id THEN 1 ELSE 0 END,
            received = received - CASE WHEN user_id = OLD.receiver_id THEN 1 ELSE 0 END
        WHERE team_id = OLD.team_id AND user_id IN (OLD.giver_id, OLD.receiver_id)
        AND day = OLD.created_at / 86400;
        DELETE FROM help_daily
        WHERE team_id = OLD.team_id AND user_id IN (OLD.giver_id, OLD.receiver_id)
        AND day = OLD.created_at / 86400 AND given <= 0 AND received <= 0;
        UPDATE help_pairs SET n = n - 1,
            first_at = coalesce((SELECT min(created_at) FROM help_events
                WHERE team_id = OLD.team_id AND giver_id = OLD.giver_id
                AND receiver_id = OLD.receiver_id AND counted = 1), 0),
            last_at = coalesce((SELECT max(created_at) FROM help_events
                WHERE team_id = OLD.team_id AND giver_id = OLD.giver_id
                AND receiver_id = OLD.receiver_id AND counted = 1), 0)
        WHERE team_id = OLD.team_id AND giver_id = OLD.giver_id AND receiver_id = OLD.receiver_id;
        DELETE FROM help_pairs
        WHERE team_id = OLD.team_id AND giver_id = OLD.giver_id
        AND receiver_id = OLD.receiver_id AND n <= 0;
        UPDATE help_pairs SET back = back - 1 WHERE team_id = OLD.team_id
        AND giver_id = OLD.receiver_id AND receiver_id = OLD.giver_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.counted = 1 THEN
        -- Both people's day rows in one statement, in user id order: no deadlocks.
        INSERT INTO help_daily AS d (team_id, user_id, day, given, received)
        SELECT NEW.team_id, who, NEW.created_at / 86400,
            CASE WHEN who = NEW.giver_id THEN 1 ELSE 0 END,
            CASE WHEN who = NEW.receiver_id THEN 1 ELSE 0 END
        FROM unnest(ARRAY[NEW.giver_id, NEW.receiver_id]) AS who ORDER BY who
        ON CONFLICT (team_id, user_id, day) DO UPDATE
        SET given = d.given + excluded.given, received = d.received + excluded.received;
        INSERT INTO help_pairs AS p (team_id, giver_id, receiver_id, n, first_at, last_at, back)
        VALUES (NEW.team_id, NEW.giver_id, NEW.receiver_id, 1, NEW.created_at, NEW.created_at,
            coalesce((SELECT r.n FROM help_pairs AS r WHERE r.team_id = NEW.team_id
                AND r.giver_id = NEW.receiver_id AND r.receiver_id = NEW.giver_id), 0))
        ON CONFLICT (team_id, giver_id, receiver_id) DO UPDATE
        SET n = p.n + 1, first_at = least(p.first_at, excluded.first_at),
            last_at = greatest(p.last_at, excluded.last_at);
        UPDATE help_pairs SET back = back + 1 WHERE team_id = NEW.team_id
        AND giver_id = NEW.receiver_id AND receiver_id = NEW.giver_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER help_totals_add AFTER INSERT ON help_events
    FOR EACH ROW EXECUTE FUNCTION help_totals();
CREATE TRIGGER help_totals_remove AFTER DELETE ON help_events
    FOR EACH ROW EXECUTE FUNCTION help_totals();
CREATE TRIGGER help_totals_move
    AFTER UPDATE OF team_id, giver_id, receiver_id, created_at, counted ON help_events
    FOR EACH ROW EXECUTE FUNCTION help_totals();
