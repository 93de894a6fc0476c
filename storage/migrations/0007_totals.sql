-- Running totals of counted help, kept by triggers on help_events. The ledger, the network
-- view, the give-first check and the nudge sweep read these: a few hundred rows per person
-- however long the history grows, where the busiest people have hundreds of thousands of events.
-- Derived data: rebuilt from help_events here, never copied by migrate-data.

-- Per person and UTC day (unix seconds / 86400): counted help given and received.
CREATE TABLE help_daily (
    team_id  TEXT    NOT NULL,
    user_id  TEXT    NOT NULL,
    day      INTEGER NOT NULL,
    given    INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, user_id, day)
) WITHOUT ROWID;

-- Per giver and receiver, all time: how often, the first and last moment, and how often the
-- receiver helped the giver back (the reverse pair's n), so ties and unreturned help are
-- found without a join.
CREATE TABLE help_pairs (
    team_id     TEXT    NOT NULL,
    giver_id    TEXT    NOT NULL,
    receiver_id TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    first_at    INTEGER NOT NULL,
    last_at     INTEGER NOT NULL,
    back        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, giver_id, receiver_id)
) WITHOUT ROWID;

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

UPDATE help_pairs SET back = coalesce((SELECT r.n FROM help_pairs AS r
    WHERE r.team_id = help_pairs.team_id AND r.giver_id = help_pairs.receiver_id
    AND r.receiver_id = help_pairs.giver_id), 0);

-- Most help first for both sides: a person's top helpers and top helped are the first rows
-- of these, and each covers the network view without visiting the table. Built after the
-- backfill, which is faster than keeping them up row by row.
CREATE INDEX help_pairs_by_giver_count
    ON help_pairs (team_id, giver_id, n DESC, last_at DESC, receiver_id, back);
CREATE INDEX help_pairs_by_receiver_count
    ON help_pairs (team_id, receiver_id, n DESC, last_at DESC, giver_id, back);
-- The digest's new two-way ties: pairs whose first help falls in the week.
CREATE INDEX help_pairs_by_first ON help_pairs (team_id, first_at);

CREATE TRIGGER help_totals_add AFTER INSERT ON help_events WHEN NEW.counted = 1
BEGIN
    INSERT INTO help_daily (team_id, user_id, day, given)
    VALUES (NEW.team_id, NEW.giver_id, NEW.created_at / 86400, 1)
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET given = given + 1;
    INSERT INTO help_daily (team_id, user_id, day, received)
    VALUES (NEW.team_id, NEW.receiver_id, NEW.created_at / 86400, 1)
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET received = received + 1;
    INSERT INTO help_pairs (team_id, giver_id, receiver_id, n, first_at, last_at, back)
    VALUES (NEW.team_id, NEW.giver_id, NEW.receiver_id, 1, NEW.created_at, NEW.created_at,
        coalesce((SELECT n FROM help_pairs WHERE team_id = NEW.team_id
            AND giver_id = NEW.receiver_id AND receiver_id = NEW.giver_id), 0))
    ON CONFLICT (team_id, giver_id, receiver_id) DO UPDATE
    SET n = n + 1, first_at = min(first_at, excluded.first_at),
        last_at = max(last_at, excluded.last_at);
    UPDATE help_pairs SET back = back + 1 WHERE team_id = NEW.team_id
    AND giver_id = NEW.receiver_id AND receiver_id = NEW.giver_id;
END;

CREATE TRIGGER help_totals_remove AFTER DELETE ON help_events WHEN OLD.counted = 1
BEGIN
    UPDATE help_daily SET given = given - 1
    WHERE team_id = OLD.team_id AND user_id = OLD.giver_id AND day = OLD.created_at / 86400;
    UPDATE help_daily SET received = received - 1
    WHERE team_id = OLD.team_id AND user_id = OLD.receiver_id AND day = OLD.created_at / 86400;
    DELETE FROM help_daily
    WHERE team_id = OLD.team_id AND user_id IN (OLD.giver_id, OLD.receiver_id)
    AND day = OLD.created_at / 86400 AND given <= 0 AND received <= 0;
    -- First and last come back from the pairs index (the row is gone by now).
    UPDATE help_pairs SET n = n - 1,
        first_at = coalesce((SELECT min(created_at) FROM help_events WHERE team_id = OLD.team_id
            AND giver_id = OLD.giver_id AND receiver_id = OLD.receiver_id AND counted = 1), 0),
        last_at = coalesce((SELECT max(created_at) FROM help_events WHERE team_id = OLD.team_id
            AND giver_id = OLD.giver_id AND receiver_id = OLD.receiver_id AND counted = 1), 0)
    WHERE team_id = OLD.team_id AND giver_id = OLD.giver_id AND receiver_id = OLD.receiver_id;
    DELETE FROM help_pairs
    WHERE team_id = OLD.team_id AND giver_id = OLD.giver_id AND receiver_id = OLD.receiver_id
    AND n <= 0;
    UPDATE help_pairs SET back = back - 1 WHERE team_id = OLD.team_id
    AND giver_id = OLD.receiver_id AND receiver_id = OLD.giver_id;
END;

-- Forgetting a person rewrites giver_id / receiver_id: the old identity's totals move to the
-- token. Same statements as remove-then-add.
CREATE TRIGGER help_totals_move
AFTER UPDATE OF team_id, giver_id, receiver_id, created_at, counted ON help_events
BEGIN
    UPDATE help_daily SET given = given - 1
    WHERE OLD.counted = 1 AND team_id = OLD.team_id AND user_id = OLD.giver_id
    AND day = OLD.created_at / 86400;
    UPDATE help_daily SET received = received - 1
    WHERE OLD.counted = 1 AND team_id = OLD.team_id AND user_id = OLD.receiver_id
    AND day = OLD.created_at / 86400;
    DELETE FROM help_daily
    WHERE OLD.counted = 1 AND team_id = OLD.team_id AND user_id IN (OLD.giver_id, OLD.receiver_id)
    AND day = OLD.created_at / 86400 AND given <= 0 AND received <= 0;
    UPDATE help_pairs SET n = n - 1,
        first_at = coalesce((SELECT min(created_at) FROM help_events WHERE team_id = OLD.team_id
            AND giver_id = OLD.giver_id AND receiver_id = OLD.receiver_id AND counted = 1), 0),
        last_at = coalesce((SELECT max(created_at) FROM help_events WHERE team_id = OLD.team_id
            AND giver_id = OLD.giver_id AND receiver_id = OLD.receiver_id AND counted = 1), 0)
    WHERE OLD.counted = 1 AND team_id = OLD.team_id AND giver_id = OLD.giver_id
    AND receiver_id = OLD.receiver_id;
    DELETE FROM help_pairs
    WHERE OLD.counted = 1 AND team_id = OLD.team_id AND giver_id = OLD.giver_id
    AND receiver_id = OLD.receiver_id AND n <= 0;
    UPDATE help_pairs SET back = back - 1 WHERE OLD.counted = 1 AND team_id = OLD.team_id
    AND giver_id = OLD.receiver_id AND receiver_id = OLD.giver_id;
    INSERT INTO help_daily (team_id, user_id, day, given)
    SELECT NEW.team_id, NEW.giver_id, NEW.created_at / 86400, 1 WHERE NEW.counted = 1
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET given = given + 1;
    INSERT INTO help_daily (team_id, user_id, day, received)
    SELECT NEW.team_id, NEW.receiver_id, NEW.created_at / 86400, 1 WHERE NEW.counted = 1
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET received = received + 1;
    INSERT INTO help_pairs (team_id, giver_id, receiver_id, n, first_at, last_at, back)
    SELECT NEW.team_id, NEW.giver_id, NEW.receiver_id, 1, NEW.created_at, NEW.created_at,
        coalesce((SELECT n FROM help_pairs WHERE team_id = NEW.team_id
            AND giver_id = NEW.receiver_id AND receiver_id = NEW.giver_id), 0)
    WHERE NEW.counted = 1
    ON CONFLICT (team_id, giver_id, receiver_id) DO UPDATE
    SET n = n + 1, first_at = min(first_at, excluded.first_at),
        last_at = max(last_at, excluded.last_at);
    UPDATE help_pairs SET back = back + 1 WHERE NEW.counted = 1 AND team_id = NEW.team_id
    AND giver_id = NEW.receiver_id AND receiver_id = NEW.giver_id;
END;
