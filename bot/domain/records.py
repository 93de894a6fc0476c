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
    """A person's counted help: given and received in the window, and their events ever.

    ``/ask``'s give-first check and the nudge sweep read the same one (from the running
    totals), so an ask and a nudge never disagree about who took more than they gave.
    """

    given: int = 0
    received: int = 0
    total: int = 0  # counted events they took part in, any time

    @property
    def taken(self) -> int:
        """How many more times they were helped than they helped; negative for givers."""
        return self.received - self.given


@dataclass(frozen=True)
class Ledger:
    """A person's give/take counts, recent (the window) and all time."""

    user_id: str
    given_recent: int = 0
    received_recent: int = 0
    given_total: int = 0
    received_total: int = 0
    top_helpers: list[PersonCount] = field(default_factory=list)
    top_helped: list[PersonCount] = field(default_factory=list)

    @property
    def balance_recent(self) -> int:
        """Positive when the person gave more than they took in the window."""
        return self.given_recent - self.received_recent

    @property
    def balance(self) -> Balance:
        return Balance(
            self.given_recent, self.received_recent, self.given_total + self.received_total
        )


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
