"""Thanks said in plain words: the offer to log them, and what its button carries (pure)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.i18n.catalog import t
from bot.views import ids
from bot.views.blocks import Blocks, actions, button, people, section


@dataclass(frozen=True)
class Offer:
    """What the "Log this" button carries, so it works after a restart with nothing in memory."""

    author: str
    helpers: tuple[str, ...]
    channel: str
    ts: str
    note: str

    def to_value(self) -> str:
        return json.dumps(
            {
                "a": self.author,
                "h": list(self.helpers),
                "c": self.channel,
                "ts": self.ts,
                "n": self.note,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_value(cls, value: str) -> Offer | None:
        try:
            data = json.loads(value)
            return cls(
                author=str(data["a"]),
                helpers=tuple(str(h) for h in data["h"]),
                channel=str(data["c"]),
                ts=str(data["ts"]),
                note=str(data.get("n", "")),
            )
        except (ValueError, KeyError, TypeError):
            return None

    @property
    def key(self) -> str:
        return f"detect:{self.channel}:{self.ts}"


def detection_offer(offer: Offer, names: list[str], lang: str) -> tuple[str, Blocks]:
    """The ephemeral offer to the author; ``names`` are display names for the button's plain text."""
    text = t(lang, "detect.offer", helpers=people(offer.helpers, lang))
    label = t(lang, "detect.log_button", names=_names(names, lang))
    return text, [
        section(text),
        actions(
            ids.DETECT_BLOCK,
            button(label, ids.DETECT_LOG, offer.to_value(), style="primary"),
            button(t(lang, "detect.dismiss_button"), ids.DETECT_DISMISS, "dismiss"),
            button(t(lang, "detect.optout_button"), ids.DETECT_OPTOUT, "optout"),
        ),
    ]


def _names(names: list[str], lang: str) -> str:
    shown = [f"@{n}" for n in names]
    if len(shown) <= 1:
        return "".join(shown)
    joiner, last = ("、", "、") if lang == "ja" else (", ", " and ")
    return joiner.join(shown[:-1]) + last + shown[-1]


def value_fits(offer: Offer) -> Offer:
    """A button value holds at most 2000 characters: shorten the note until it fits."""
    note = offer.note
    while len(Offer(offer.author, offer.helpers, offer.channel, offer.ts, note).to_value()) > 2000:
        note = note[: max(0, len(note) - 100)]
    return Offer(offer.author, offer.helpers, offer.channel, offer.ts, note)
