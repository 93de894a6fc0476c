"""Block Kit for the leaderboard, forgetting, and offers to log plain-words thanks (pure)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.domain.network import Breadth
from bot.i18n.catalog import t
from bot.views.blocks import Blocks, context, header, people, section
from bot.views.home import button, colleagues, times

FORGET_CONFIRM = "forget_confirm"
FORGET_CANCEL = "forget_cancel"
DETECT_LOG = "detect_log"
DETECT_DISMISS = "detect_dismiss"
DETECT_OPTOUT = "detect_optout"


def leaderboard(rows: list[Breadth], period: str, lang: str) -> tuple[str, Blocks]:
    """Only positive news, only givers: breadth, then recency (already ranked)."""
    title = t(lang, f"top.title_{period}")
    if not rows:
        body = t(lang, "top.empty")
    else:
        body = "\n".join(
            t(
                lang,
                "top.item",
                rank=rank,
                user=row.user_id,
                colleagues=colleagues(lang, row.colleagues),
                times=times(lang, row.events),
            )
            for rank, row in enumerate(rows, start=1)
        )
    return title, [header(title), section(body), context(t(lang, "top.footer"))]


def forget_confirmation(lang: str) -> tuple[str, Blocks]:
    text = t(lang, "forget.confirm")
    confirm = button(t(lang, "forget.confirm_button"), FORGET_CONFIRM, "me")
    confirm["style"] = "danger"
    return text, [
        section(text),
        {
            "type": "actions",
            "block_id": "forget",
            "elements": [confirm, button(t(lang, "forget.cancel_button"), FORGET_CANCEL, "me")],
        },
    ]


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
    log_button = button(label, DETECT_LOG, offer.to_value(), primary=True)
    return text, [
        section(text),
        {
            "type": "actions",
            "block_id": "detect",
            "elements": [
                log_button,
                button(t(lang, "detect.dismiss_button"), DETECT_DISMISS, "dismiss"),
                button(t(lang, "detect.optout_button"), DETECT_OPTOUT, "optout"),
            ],
        },
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
