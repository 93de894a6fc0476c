-- One secret salt per workspace for the anonymous tokens of forgotten people: without it,
-- anyone holding an export and the member list could hash every user id and re-identify them.
CREATE TABLE anon_salts (
    team_id TEXT PRIMARY KEY,
    salt    TEXT NOT NULL
);

-- "Log this as help?" offers made for plain-words thanks in channels: at most one per message.
CREATE TABLE thanks_offers (
    team_id    TEXT    NOT NULL,
    idem_key   TEXT    NOT NULL,            -- detect:<channel>:<message ts>
    user_id    TEXT    NOT NULL,            -- the author the offer was made to
    created_at INTEGER NOT NULL,            -- unix seconds, UTC
    UNIQUE (team_id, idem_key)
);

-- The leaderboard ranks givers per workspace over a period: this covers its scan.
CREATE INDEX help_events_breadth ON help_events (team_id, created_at, giver_id, receiver_id)
    WHERE counted = 1;
