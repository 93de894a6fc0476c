"""Block Kit for scheduled messages: invitations to lend a hand, welcomes, close-the-loop and
re-surfaced asks (DMs), and the weekly digest (a channel post)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.domain.digest import Digest
from bot.domain.favours import Ask
from bot.i18n.catalog import t
from bot.views import ids
from bot.views.asks import ASK_PREVIEW, invited_ask, offer_button, resolve_button
from bot.views.blocks import (
    Blocks,
    actions,
    context,
    excerpt,
    header,
    people,
    section,
    with_accessory,
)

DIGEST_ASK_PREVIEW = 120
MAX_TIES = 10
MAX_WAITING = 5


def ask_block(ask: Ask, lang: str) -> dict[str, Any]:
    """An ask on one line with its "I can help" button (value: the ask id, as favours expects)."""
    return invited_ask(ask, lang, offer_button(ask, lang))


def invitation(
    user_id: str, asks: list[Ask], *, helped_me: Mapping[str, int] | None = None, lang: str
) -> tuple[str, Blocks]:
    """The occasional DM to someone whose asks outnumber their giving: open asks they could
    help with, each one press away. No scores, nobody "owed"."""
    helped_me = helped_me or {}
    blocks: Blocks = [
        section(t(lang, "nudge.giveback.intro", user=user_id)),
        section(t(lang, "nudge.giveback.asks")),
        *(
            invited_ask(a, lang, offer_button(a, lang), helped_me=bool(helped_me.get(a.asker_id)))
            for a in asks
        ),
        context(t(lang, "nudge.footer")),
    ]
    return t(lang, "nudge.giveback.text"), blocks


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
