"""How much the bot will say on one person's behalf, and what it says only once (pure).

One person's actions must not turn the bot into a megaphone: 2,000 ``/thanks`` in a few
seconds, or an ``/ask`` naming 100 people, would each have produced a post or a DM. Every
message the bot sends *because of* someone (a channel announcement, a thread reply updated, a
DM to a colleague) takes one unit of that person's allowance for the hour. Past it, what
they did is still recorded and shows on Home; the bot tells them once, kindly, and stays quiet.

The same counter, with no period, says "once ever": the first-thanks introduction a person
gets, the note giveback posts when it joins a channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    """At most ``most`` per ``per`` (None: ever) for one subject (a person, a channel)."""

    kind: str
    most: int
    per: timedelta | None = HOUR

    def period(self, now: datetime) -> int:
        """Which fixed window ``now`` falls in (0 for "ever")."""
        if self.per is None:
            return 0
        return int(now.timestamp()) // int(self.per.total_seconds())


# Channel messages posted or updated because of one person: announcements of their thanks, the
# rolled-up reply their reaction changes, their asks. 20 an hour is far more than a generous
# person says thanks in an hour, and few enough that nobody can flood a channel.
ANNOUNCE = Limit("announce", 20)
# DMs to colleagues sent because of one person: private thanks, the people an ask names.
DM = Limit("dm", 30)
# The kind word that a limit was reached: once an hour per limit, never one per refusal.
NOTICE = Limit("notice", 1)
# Once ever, per person: the two lines that say what giveback is, in their first thanks DM.
THANKS_INTRO = Limit("thanks_intro", 1, None)
# Once ever, per channel: the few lines giveback posts when it is invited in.
CHANNEL_INTRO = Limit("channel_intro", 1, None)
# A DM to the bot gets a pointer to the commands and Home: a few an hour, not a chat.
DM_ANSWER = Limit("dm_answer", 3)


def notice_of(limit: Limit) -> Limit:
    """The once-an-hour "limit reached" note that belongs to ``limit``."""
    return Limit(f"{NOTICE.kind}:{limit.kind}", NOTICE.most, NOTICE.per)
