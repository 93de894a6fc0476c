"""Block Kit for scheduled messages: give-back nudges, welcomes, close-the-loop and re-surfaced
asks (DMs), and the weekly digest (a channel post)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.digest import Digest
from bot.domain.favours import Ask
from bot.domain.records import Balance, PersonCount
from bot.i18n.catalog import t
from bot.views import ids
from bot.views.asks import offer_button, resolve_button
from bot.views.blocks import (
    Blocks,
    actions,
    context,
    excerpt,
    header,
    people,
    section,
    times,
    with_accessory,
)

ASK_PREVIEW = 200
DIGEST_ASK_PREVIEW = 120
MAX_TIES = 10
MAX_WAITING = 5


def ask_block(ask: Ask, lang: str, line_key: str = "nudge.ask_line") -> dict[str, Any]:
    """An ask on one line with its "I can help" button (value: the ask id, as favours expects)."""
    text = t(lang, line_key, asker=ask.asker_id, text=excerpt(ask.text, ASK_PREVIEW))
    return with_accessory(section(text), ids.ask_block(ask.id), offer_button(ask, lang))


def giveback_nudge(
    user_id: str,
    balance: Balance,
    unreturned: list[PersonCount],
    asks: list[Ask],
    *,
    window_days: int,
    cooldown_days: int,
    lang: str,
) -> tuple[str, Blocks]:
    """The personal note: who helped you that you haven't helped back, and where you could help."""
    top = unreturned[:5]
    text = t(lang, "nudge.giveback.text", helpers=people([p.user_id for p in top[:3]], lang))
    blocks: Blocks = [
        section(
            t(
                lang,
                "nudge.giveback.intro",
                user=user_id,
                days=window_days,
                received=times(lang, balance.received),
                given=times(lang, balance.given),
            )
        )
    ]
    if top:
        lines = "\n".join(
            t(lang, "nudge.giveback.owed_line", helper=p.user_id, times=times(lang, p.count))
            for p in top
        )
        blocks.append(section(t(lang, "nudge.giveback.owed", lines=lines)))
    if asks:
        blocks.append(section(t(lang, "nudge.giveback.asks")))
        blocks += [ask_block(ask, lang) for ask in asks]
    else:
        blocks.append(section(t(lang, "nudge.giveback.no_asks")))
    blocks.append(context(t(lang, "nudge.footer", days=cooldown_days)))
    return text, blocks


def welcome(lang: str) -> tuple[str, Blocks]:
    blocks: Blocks = [
        header(t(lang, "welcome.title")),
        section(t(lang, "welcome.body")),
        section(t(lang, "welcome.how")),
        context(t(lang, "nudge.footer_short")),
    ]
    return t(lang, "welcome.text"), blocks


def close_loop(ask: Ask, now: datetime, lang: str) -> tuple[str, Blocks]:
    """One reminder to an asker whose ask got offers but was never resolved."""
    body = t(
        lang,
        "close_loop.body",
        days=(now - ask.created_at).days,
        people=people(ask.offers, lang),
        text=excerpt(ask.text, ASK_PREVIEW),
    )
    resolve = resolve_button(ask, lang, style="primary")
    return t(lang, "close_loop.text"), [
        section(body),
        actions(ids.close_loop_block(ask.id), resolve),
        context(t(lang, "nudge.footer_short")),
    ]


def resurface(ask: Ask, now: datetime, lang: str) -> tuple[str, Blocks]:
    """An ask nobody offered on, shown to someone who helped the asker before."""
    intro = t(lang, "resurface.body", asker=ask.asker_id, days=(now - ask.created_at).days)
    blocks: Blocks = [
        section(intro),
        ask_block(ask, lang),
        context(t(lang, "nudge.footer_short")),
    ]
    return t(lang, "resurface.text", asker=ask.asker_id), blocks


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
    shown_ties = digest.ties[:MAX_TIES]
    more_ties = len(digest.ties) - len(shown_ties) + digest.unnamed_ties
    if shown_ties:
        lines = "\n".join(t(lang, "digest.tie_line", a=a, b=b) for a, b in shown_ties)
        if more_ties:
            lines += "\n" + t(lang, "digest.ties_more", count=more_ties)
        blocks.append(section(t(lang, "digest.ties", lines=lines)))
    elif more_ties:
        key = "digest.ties_count_one" if more_ties == 1 else "digest.ties_count"
        blocks.append(section(t(lang, key, count=more_ties)))
    if digest.waiting:
        shown = digest.waiting[:MAX_WAITING]
        # One section an ask, each with "I can help": anyone reading the channel can offer.
        for i, a in enumerate(shown):
            line = t(
                lang,
                "digest.waiting_line",
                asker=a.asker_id,
                text=excerpt(a.text, DIGEST_ASK_PREVIEW),
            )
            text = t(lang, "digest.waiting", lines=line) if i == 0 else line
            blocks.append(with_accessory(section(text), ids.ask_block(a.id), offer_button(a, lang)))
        if len(digest.waiting) > len(shown):
            more = len(digest.waiting) - len(shown)
            blocks.append(context(t(lang, "digest.waiting_more", count=more)))
    return t(lang, "digest.text", count=digest.thanks), blocks
