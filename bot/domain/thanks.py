"""What came of a thanks: who was recorded, who was already, and who could not be (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.parsing import ThanksRequest


@dataclass(frozen=True)
class ThanksOutcome:
    request: ThanksRequest
    recorded: tuple[str, ...] = ()
    already: tuple[str, ...] = ()
    bots: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    # Recorded now, but past the daily cap for the pair: kept out of balances, and not
    # announced again (the channel heard about this pair today already).
    uncounted: tuple[str, ...] = ()

    @property
    def helpers(self) -> tuple[str, ...]:
        """Everyone validly thanked, whether new now or recorded by an earlier delivery."""
        return self.recorded + self.already

    @property
    def to_announce(self) -> tuple[str, ...]:
        """The people newly thanked, within the daily cap: the ones to tell about it."""
        return tuple(u for u in self.recorded if u not in self.uncounted)

    @property
    def is_redelivery(self) -> bool:
        return bool(self.already) and not self.recorded
