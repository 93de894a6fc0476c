"""Block Kit for scheduled DMs: give-back nudges, welcomes, close-the-loop and re-surfaced asks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.favours import Ask
from bot.domain.records import Balance, PersonCount
from bot.i18n.catalog import t
from bot.views.asks import RESOLVE, button
from bot.views.blocks import Blocks, context, header, mention, people, section

OFFER_ACTION = "ask_offer"  # handled by the favours feature; the button's value is the ask id
ASK_PREVIEW = 200


def times(lang: str, count: int) -> str:
    if count in (1, 2):
        return t(lang, f"times.{count}")
    return t(lang, "times.n", count=count)


def preview(text: str, limit: int = ASK_PREVIEW) -> str:
    """One line of an ask, safe to quote: no pings, no broken formatting."""
    flat = " ".join(text.replace("<!", "<\u200b!").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def ask_block(ask: Ask, lang: str, line_key: str = "nudge.ask_line") -> dict[str, Any]:
    """An ask with its "I can help" button (value: the ask id, as favours expects)."""
    text = t(lang, line_key, asker=ask.asker_id, text=preview(ask.text))
    return {
        "type": "section",
        "block_id": f"ask:{ask.id}"[:255],
        "text": {"type": "mrkdwn", "text": text[:3000]},
        "accessory": {
            "type": "button",
            "action_id": OFFER_ACTION,
            "text": {"type": "plain_text", "text": t(lang, "nudge.offer_button")},
            "value": str(ask.id),
        },
    }


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
        mentions=" ".join(mention(u) for u in ask.offers),
        text=preview(ask.text),
    )
    resolve = button(t(lang, "asks.resolve_button"), RESOLVE, str(ask.id), style="primary")
    actions = {"type": "actions", "block_id": f"close_loop_{ask.id}", "elements": [resolve]}
    return t(lang, "close_loop.text"), [
        section(body),
        actions,
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
