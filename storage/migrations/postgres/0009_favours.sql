-- PostgreSQL twin of ../0009_favours.sql: favours as running totals, kept by triggers on asks,
-- ask_people and help_events; when the give-first prompt was shown.
CREATE TABLE favour_daily (
    team_id  TEXT    NOT NULL,
    user_id  TEXT    NOT NULL,
    day      BIGINT  NOT NULL,
    asks     INTEGER NOT NULL DEFAULT 0,
    offers   INTEGER NOT NULL DEFAULT 0,
    ask_help INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, user_id, day)
);

ALTER TABLE asks ADD COLUMN prompted_at BIGINT;
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

-- One person's day row moves by (asks, offers, ask_help); a row left all zero goes.
CREATE FUNCTION favour_bump(t TEXT, u TEXT, d BIGINT, a INTEGER, o INTEGER, h INTEGER)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO favour_daily AS f (team_id, user_id, day, asks, offers, ask_help)
    VALUES (t, u, d, a, o, h)
    ON CONFLICT (team_id, user_id, day) DO UPDATE
    SET asks = f.asks + excluded.asks, offers = f.offers + excluded.offers,
        ask_help = f.ask_help + excluded.ask_help;
    DELETE FROM favour_daily
    WHERE team_id = t AND user_id = u AND day = d AND asks <= 0 AND offers <= 0 AND ask_help <= 0;
END;
$$;

-- Asks count once posted (not while held).
CREATE FUNCTION favour_asks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.status <> 'held' THEN
        PERFORM favour_bump(OLD.team_id, OLD.asker_id, OLD.created_at / 86400, -1, 0, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'held' THEN
        PERFORM favour_bump(NEW.team_id, NEW.asker_id, NEW.created_at / 86400, 1, 0, 0);
    END IF;
    RETURN NULL;
END;
$$;

-- Offers count the moment "I can help" is pressed.
CREATE FUNCTION favour_offers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.role = 'offered' THEN
        PERFORM favour_bump(OLD.team_id, OLD.user_id, OLD.created_at / 86400, 0, -1, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.role = 'offered' THEN
        PERFORM favour_bump(NEW.team_id, NEW.user_id, NEW.created_at / 86400, 0, 1, 0);
    END IF;
    RETURN NULL;
END;
$$;

-- Help credited on one's own ask: counted help events from an ask's resolution.
CREATE FUNCTION favour_help() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.counted = 1 AND OLD.source = 'ask' THEN
        PERFORM favour_bump(OLD.team_id, OLD.receiver_id, OLD.created_at / 86400, 0, 0, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.counted = 1 AND NEW.source = 'ask' THEN
        PERFORM favour_bump(NEW.team_id, NEW.receiver_id, NEW.created_at / 86400, 0, 0, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER favour_asks_add AFTER INSERT ON asks
    FOR EACH ROW WHEN (NEW.status <> 'held') EXECUTE FUNCTION favour_asks();
CREATE TRIGGER favour_asks_remove AFTER DELETE ON asks
    FOR EACH ROW WHEN (OLD.status <> 'held') EXECUTE FUNCTION favour_asks();
-- Resolving or withdrawing changes only the status among posted ones: nothing to move.
CREATE TRIGGER favour_asks_move AFTER UPDATE OF team_id, asker_id, status, created_at ON asks
    FOR EACH ROW WHEN (OLD.team_id <> NEW.team_id OR OLD.asker_id <> NEW.asker_id
        OR OLD.created_at <> NEW.created_at OR (OLD.status = 'held') <> (NEW.status = 'held'))
    EXECUTE FUNCTION favour_asks();

CREATE TRIGGER favour_offers_add AFTER INSERT ON ask_people
    FOR EACH ROW WHEN (NEW.role = 'offered') EXECUTE FUNCTION favour_offers();
CREATE TRIGGER favour_offers_remove AFTER DELETE ON ask_people
    FOR EACH ROW WHEN (OLD.role = 'offered') EXECUTE FUNCTION favour_offers();
CREATE TRIGGER favour_offers_move AFTER UPDATE OF team_id, user_id, role, created_at ON ask_people
    FOR EACH ROW WHEN (OLD.role = 'offered' OR NEW.role = 'offered')
    EXECUTE FUNCTION favour_offers();

CREATE TRIGGER favour_help_add AFTER INSERT ON help_events
    FOR EACH ROW WHEN (NEW.counted = 1 AND NEW.source = 'ask') EXECUTE FUNCTION favour_help();
CREATE TRIGGER favour_help_remove AFTER DELETE ON help_events
    FOR EACH ROW WHEN (OLD.counted = 1 AND OLD.source = 'ask') EXECUTE FUNCTION favour_help();
CREATE TRIGGER favour_help_move
    AFTER UPDATE OF team_id, receiver_id, created_at, counted, source ON help_events
    FOR EACH ROW WHEN ((OLD.counted = 1 AND OLD.source = 'ask')
        OR (NEW.counted = 1 AND NEW.source = 'ask'))
    EXECUTE FUNCTION favour_help();
