"""Plain records shared by the domain, the store and the handlers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class HelpEvent:
    """One act of help: ``giver_id`` helped ``receiver_id``.

    ``key`` is the idempotency key derived from Slack's delivery, so a redelivered
    request never records twice. ``counted`` is False when the event exceeded the
    per-pair daily cap: it is kept and exported, but left out of balances. ``public``: it was
    announced in a channel (bot.domain.announce.announced_publicly), so its note may tell who
    could help with an ask; private notes never do.
    """

    team_id: str
    giver_id: str
    receiver_id: str
    note: str
    source: str
    channel_id: str | None
    created_at: datetime
    key: str
    counted: bool = True
    id: int | None = None
    public: bool = False


class Stored(Enum):
    """What recording one help event did."""

    SEEN = "seen"  # its key was stored already: a redelivery, nothing new
    COUNTED = "counted"  # new, and it counts in balances
    UNCOUNTED = "uncounted"  # new, past the daily cap for its pair: kept, not counted

    @property
    def new(self) -> bool:
        return self is not Stored.SEEN


@dataclass(frozen=True)
class MessageRef:
    """A message in a channel, as Slack names it."""

    team_id: str
    channel_id: str
    ts: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.team_id, self.channel_id, self.ts)


@dataclass(frozen=True)
class PersonCount:
    user_id: str
    count: int


@dataclass(frozen=True)
class Balance:
    """What a person gave and asked for in the window, and how much help they took part in.

    ``giving``: help credited to them, from any source, and offers they made ("I can help"
    counts the moment it is pressed). ``asking``: asks they posted, and help credited to them
    on those asks. Thanks they volunteered (a /thanks, a reaction, ...) are in neither: saying
    thanks credits the helper and costs the thanker nothing. ``/ask``'s give-first check and
    the sweep's invitations read the same one (storage.activity, from the running totals).
    """

    giving: int = 0
    asking: int = 0
    events: int = 0  # help events they took part in, given or received, any source, ever
    started: bool = False  # they have used giveback: thanked, been thanked, asked or offered

    @property
    def asks_beyond_giving(self) -> int:
        """How many more favours they asked for than they gave; negative for givers."""
        return self.asking - self.giving


@dataclass(frozen=True)
class Ledger:
    """What one person did, for their eyes only: help given and received, recent (the window)
    and all time, how many different colleagues that was, their offers and asks."""

    user_id: str
    given_recent: int = 0
    received_recent: int = 0
    given_total: int = 0
    received_total: int = 0
    top_helpers: list[PersonCount] = field(default_factory=list)
    top_helped: list[PersonCount] = field(default_factory=list)
    colleagues_helped: int = 0  # different colleagues they helped in the window
    colleagues_helping: int = 0  # different colleagues who helped them in the window
    offers_recent: int = 0
    asks_recent: int = 0


@dataclass(frozen=True)
class UserProfile:
    """What the bot caches of ``users.info``."""

    team_id: str
    user_id: str
    name: str = ""
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False
    tz: str | None = None
    locale: str | None = None
    fetched_at: datetime | None = None

    @property
    def is_person(self) -> bool:
        """A real, reachable colleague: not a bot or app, not a deactivated account."""
        return not (self.is_bot or self.deleted)
