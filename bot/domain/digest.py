"""The weekly digest, pure: the week's numbers in, a channel message out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.nudges import Ask
from bot.domain.records import PersonCount
from bot.i18n.catalog import t
from bot.views.blocks import Blocks, context, header, section
from bot.views.nudges import preview

WEEK = timedelta(days=7)
TOP = 3
MAX_TIES = 10
MAX_WAITING = 5


@dataclass(frozen=True)
class Digest:
    thanks: int
    widest: list[PersonCount] = field(default_factory=list)  # by distinct colleagues helped
    ties: list[tuple[str, str]] = field(default_factory=list)  # newly two-way pairs
    waiting: list[Ask] = field(default_factory=list)  # open asks with no offer yet


def build_digest(
    thanks: int,
    widest: list[PersonCount],
    ties: list[tuple[str, str]],
    asks: list[Ask],
    *,
    hidden: set[str] = frozenset(),  # type: ignore[assignment]
    leaderboard: bool = True,
) -> Digest:
    """Pick what the digest shows: people who hide from rankings never appear in them."""
    top = [p for p in widest if p.user_id not in hidden][:TOP] if leaderboard else []
    waiting = sorted((a for a in asks if not a.offers), key=lambda a: (a.created_at, a.id))
    return Digest(thanks, top, ties, waiting)


def digest_message(digest: Digest, lang: str) -> tuple[str, Blocks]:
    blocks: Blocks = [header(t(lang, "digest.title"))]
    if digest.thanks:
        blocks.append(section(t(lang, "digest.thanks", count=digest.thanks)))
    else:
        blocks.append(section(t(lang, "digest.no_thanks")))
    if digest.widest:
        lines = "\n".join(
            t(lang, "digest.widest_line_one", user=p.user_id)
            if p.count == 1
            else t(lang, "digest.widest_line", user=p.user_id, count=p.count)
            for p in digest.widest
        )
        blocks.append(section(t(lang, "digest.widest", lines=lines)))
    if digest.ties:
        lines = "\n".join(t(lang, "digest.tie_line", a=a, b=b) for a, b in digest.ties[:MAX_TIES])
        blocks.append(section(t(lang, "digest.ties", lines=lines)))
    if digest.waiting:
        shown = digest.waiting[:MAX_WAITING]
        lines = "\n".join(
            t(lang, "digest.waiting_line", asker=a.asker_id, text=_linked(a)) for a in shown
        )
        blocks.append(section(t(lang, "digest.waiting", lines=lines)))
        if len(digest.waiting) > len(shown):
            more = len(digest.waiting) - len(shown)
            blocks.append(context(t(lang, "digest.waiting_more", count=more)))
    return t(lang, "digest.text", count=digest.thanks), blocks


def _linked(ask: Ask) -> str:
    return preview(ask.text, 120)


def most_common_timezone(timezones: list[str | None], default: str = "UTC") -> str:
    """The channel has no timezone: the digest follows most of the workspace."""
    counts = Counter(tz for tz in timezones if tz)
    return counts.most_common(1)[0][0] if counts else default
