-- Favours as running totals, kept by triggers as 0007's are. With help_daily they are the one
-- definition that /ask's give-first check and the sweep's invitations read (storage/activity.py,
-- bot.domain.records.Balance):
--   giving = help credited to the person, from any source (help_daily.given) + their offers;
--   asking = asks they posted + help credited to them on those asks.
-- Thanks a person volunteers (a /thanks, a reaction, the shortcut ...) are in neither: they
-- credit the helper and cost the thanker nothing.
-- Derived data: rebuilt from asks, ask_people and help_events here, never copied by migrate-data.

-- Per person and UTC day (unix seconds / 86400):
--   asks      asks they posted (a held ask counts from the moment it goes out)
--   offers    "I can help" pressed, on anyone's ask
--   ask_help  help credited to them on their own asks (counted help events from an ask)
CREATE TABLE favour_daily (
    team_id  TEXT    NOT NULL,
    user_id  TEXT    NOT NULL,
    day      INTEGER NOT NULL,
    asks     INTEGER NOT NULL DEFAULT 0,
    offers   INTEGER NOT NULL DEFAULT 0,
    ask_help INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, user_id, day)
) WITHOUT ROWID;

-- When the give-first prompt was shown for this ask (NULL: never). Nobody is invited to lend a
-- hand within a day of seeing it.
ALTER TABLE asks ADD COLUMN prompted_at INTEGER;
CREATE INDEX asks_by_prompt ON asks (team_id, prompted_at);
-- One person's posted asks and offers in a window (their counts on /giveback and Home, the
-- first day of their give-first window), counted from the index alone: the busiest helpers
-- have tens of thousands of offers. ask_people_by_user gains created_at; what read it still can.
CREATE INDEX asks_by_asker ON asks (team_id, asker_id, status, created_at);
DROP INDEX ask_people_by_user;
CREATE INDEX ask_people_by_user ON ask_people (team_id, user_id, role, created_at);

INSERT INTO favour_daily (team_id, user_id, day, asks, offers, ask_help)
SELECT team_id, user_id, day, sum(asks), sum(offers), sum(ask_help) FROM (
    SELECT team_id, asker_id AS user_id, created_at / 86400 AS day,
        1 AS asks, 0 AS offers, 0 AS ask_help
    FROM asks WHERE status <> 'held'
    UNION ALL
    SELECT team_id, user_id, created_at / 86400, 0, 1, 0 FROM ask_people WHERE role = 'offered'
    UNION ALL
    SELECT team_id, receiver_id, created_at / 86400, 0, 0, 1 FROM help_events
    WHERE counted = 1 AND source = 'ask'
) AS acts
GROUP BY team_id, user_id, day;

-- Asks: counted once posted (not while held). Forget-me rewrites asker_id; publishing a held
-- ask sets its status and created_at: both move the count as remove-then-add does.
CREATE TRIGGER favour_asks_add AFTER INSERT ON asks WHEN NEW.status <> 'held'
BEGIN
    INSERT INTO favour_daily (team_id, user_id, day, asks)
    VALUES (NEW.team_id, NEW.asker_id, NEW.created_at / 86400, 1)
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET asks = asks + 1;
END;

CREATE TRIGGER favour_asks_remove AFTER DELETE ON asks WHEN OLD.status <> 'held'
BEGIN
    UPDATE favour_daily SET asks = asks - 1
    WHERE team_id = OLD.team_id AND user_id = OLD.asker_id AND day = OLD.created_at / 86400;
    DELETE FROM favour_daily
    WHERE team_id = OLD.team_id AND user_id = OLD.asker_id AND day = OLD.created_at / 86400
    AND asks <= 0 AND offers <= 0 AND ask_help <= 0;
END;

-- Resolving or withdrawing changes only the status among posted ones: nothing to move.
CREATE TRIGGER favour_asks_move AFTER UPDATE OF team_id, asker_id, status, created_at ON asks
WHEN OLD.team_id <> NEW.team_id OR OLD.asker_id <> NEW.asker_id
    OR OLD.created_at <> NEW.created_at OR (OLD.status = 'held') <> (NEW.status = 'held')
BEGIN
    UPDATE favour_daily SET asks = asks - 1
    WHERE OLD.status <> 'held' AND team_id = OLD.team_id AND user_id = OLD.asker_id
    AND day = OLD.created_at / 86400;
    DELETE FROM favour_daily
    WHERE OLD.status <> 'held' AND team_id = OLD.team_id AND user_id = OLD.asker_id
    AND day = OLD.created_at / 86400 AND asks <= 0 AND offers <= 0 AND ask_help <= 0;
    INSERT INTO favour_daily (team_id, user_id, day, asks)
    SELECT NEW.team_id, NEW.asker_id, NEW.created_at / 86400, 1 WHERE NEW.status <> 'held'
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET asks = asks + 1;
END;

-- Offers: counted the moment "I can help" is pressed.
CREATE TRIGGER favour_offers_add AFTER INSERT ON ask_people WHEN NEW.role = 'offered'
BEGIN
    INSERT INTO favour_daily (team_id, user_id, day, offers)
    VALUES (NEW.team_id, NEW.user_id, NEW.created_at / 86400, 1)
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET offers = offers + 1;
END;

CREATE TRIGGER favour_offers_remove AFTER DELETE ON ask_people WHEN OLD.role = 'offered'
BEGIN
    UPDATE favour_daily SET offers = offers - 1
    WHERE team_id = OLD.team_id AND user_id = OLD.user_id AND day = OLD.created_at / 86400;
    DELETE FROM favour_daily
    WHERE team_id = OLD.team_id AND user_id = OLD.user_id AND day = OLD.created_at / 86400
    AND asks <= 0 AND offers <= 0 AND ask_help <= 0;
END;

CREATE TRIGGER favour_offers_move
AFTER UPDATE OF team_id, user_id, role, created_at ON ask_people
WHEN OLD.role = 'offered' OR NEW.role = 'offered'
BEGIN
    UPDATE favour_daily SET offers = offers - 1
    WHERE OLD.role = 'offered' AND team_id = OLD.team_id AND user_id = OLD.user_id
    AND day = OLD.created_at / 86400;
    DELETE FROM favour_daily
    WHERE OLD.role = 'offered' AND team_id = OLD.team_id AND user_id = OLD.user_id
    AND day = OLD.created_at / 86400 AND asks <= 0 AND offers <= 0 AND ask_help <= 0;
    INSERT INTO favour_daily (team_id, user_id, day, offers)
    SELECT NEW.team_id, NEW.user_id, NEW.created_at / 86400, 1 WHERE NEW.role = 'offered'
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET offers = offers + 1;
END;

-- Help on one's own ask: the counted help events an ask's resolution records (source 'ask').
CREATE TRIGGER favour_help_add AFTER INSERT ON help_events
WHEN NEW.counted = 1 AND NEW.source = 'ask'
BEGIN
    INSERT INTO favour_daily (team_id, user_id, day, ask_help)
    VALUES (NEW.team_id, NEW.receiver_id, NEW.created_at / 86400, 1)
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET ask_help = ask_help + 1;
END;

CREATE TRIGGER favour_help_remove AFTER DELETE ON help_events
WHEN OLD.counted = 1 AND OLD.source = 'ask'
BEGIN
    UPDATE favour_daily SET ask_help = ask_help - 1
    WHERE team_id = OLD.team_id AND user_id = OLD.receiver_id AND day = OLD.created_at / 86400;
    DELETE FROM favour_daily
    WHERE team_id = OLD.team_id AND user_id = OLD.receiver_id AND day = OLD.created_at / 86400
    AND asks <= 0 AND offers <= 0 AND ask_help <= 0;
END;

CREATE TRIGGER favour_help_move
AFTER UPDATE OF team_id, receiver_id, created_at, counted, source ON help_events
WHEN (OLD.counted = 1 AND OLD.source = 'ask') OR (NEW.counted = 1 AND NEW.source = 'ask')
BEGIN
    UPDATE favour_daily SET ask_help = ask_help - 1
    WHERE OLD.counted = 1 AND OLD.source = 'ask' AND team_id = OLD.team_id
    AND user_id = OLD.receiver_id AND day = OLD.created_at / 86400;
    DELETE FROM favour_daily
    WHERE OLD.counted = 1 AND OLD.source = 'ask' AND team_id = OLD.team_id
    AND user_id = OLD.receiver_id AND day = OLD.created_at / 86400
    AND asks <= 0 AND offers <= 0 AND ask_help <= 0;
    INSERT INTO favour_daily (team_id, user_id, day, ask_help)
    SELECT NEW.team_id, NEW.receiver_id, NEW.created_at / 86400, 1
    WHERE NEW.counted = 1 AND NEW.source = 'ask'
    ON CONFLICT (team_id, user_id, day) DO UPDATE SET ask_help = ask_help + 1;
END;
