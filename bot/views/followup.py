"""Block Kit for asks that close (pure): "Not this time", withdrawing, the check-in, the
automatic close, "Still need help", and your asks on Home."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.favours import Ask
from bot.domain.suggest import Suggestion
from bot.i18n.catalog import t
from bot.i18n.localize import format_date
from bot.views import ids
from bot.views import nudges as nudge_views
from bot.views.asks import EXCERPT, offer_button, resolve_button, withdraw_button
from bot.views.blocks import (
    Blocks,
    actions,
    button,
    context,
    excerpt,
    people,
    quote,
    section,
    with_accessory,
)
from bot.views.suggest import suggestion_blocks

YOUR_ASKS = 5


def keep_open_button(ask: Ask, lang: str) -> dict[str, Any]:
    return button(t(lang, "followup.keep_open_button"), ids.KEEP_OPEN, str(ask.id), style="primary")


def withdrawn_for_offerer(ask: Ask, lang: str) -> tuple[str, Blocks]:
    text = t(lang, "followup.withdrawn_offerer", asker=ask.asker_id)
    return text, [section(f"{text}\n{quote(ask.text, EXCERPT)}")]


def declined_for_asker(
    ask: Ask, user: str, suggestions: Sequence[Suggestion], lang: str
) -> tuple[str, Blocks]:
    """To the asker: someone named cannot help this time; who else could."""
    text = t(lang, "followup.declined_asker", user=user)
    blocks: Blocks = [section(f"{text}\n{quote(ask.text, EXCERPT)}")]
    return text, blocks + suggestion_blocks(ask, suggestions, lang)


def checkin(
    ask: Ask, days: int, suggestions: Sequence[Suggestion], lang: str
) -> tuple[str, Blocks]:
    """The one check-in for an ask nobody offered on: keep it open, or withdraw it."""
    text = t(lang, "followup.checkin", days=days)
    blocks: Blocks = [section(f"{text}\n{quote(ask.text, EXCERPT)}")]
    blocks.append(
        actions(ids.checkin_block(ask.id), keep_open_button(ask, lang), withdraw_button(ask, lang))
    )
    return text, blocks + suggestion_blocks(ask, suggestions, lang)


def kept_open(days_left: int | None, lang: str) -> str:
    if days_left is None:
        return t(lang, "followup.kept_open_forever")
    return t(lang, "followup.kept_open", days=days_left)


def still_open_note(lang: str) -> str:
    return t(lang, "followup.still_needed_open")


def brought_up_note(lang: str) -> str:
    return t(lang, "followup.still_needed_done")


def autoclosed_dm(ask: Ask, days: int, lang: str) -> tuple[str, Blocks]:
    text = t(lang, "followup.autoclosed_dm", days=days)
    return text, [section(f"{text}\n{quote(ask.text, EXCERPT)}")]


def still_needed(ask: Ask, lang: str) -> tuple[str, Blocks]:
    """The reply in the ask's thread when its asker still needs help."""
    text = t(lang, "followup.still_needed", asker=ask.asker_id)
    return text, [
        section(text),
        actions(ids.ask_block(ask.id), offer_button(ask, lang)),
    ]


def your_asks_blocks(
    mine: Sequence[Ask], offered: Sequence[Ask], lang: str, tz: str | None, now: datetime
) -> Blocks:
    """Home: the reader's open asks with their buttons, then the asks they offered on."""
    blocks: Blocks = [section(t(lang, "followup.your_asks_title"))]
    if not mine:
        blocks.append(section(t(lang, "followup.your_asks_empty")))
    for ask in mine[:YOUR_ASKS]:
        offers = (
            t(lang, "followup.your_ask_offers", people=people(ask.offers, lang))
            if ask.offers
            else ""
        )
        line = t(
            lang,
            "followup.your_ask_line",
            text=excerpt(ask.text, 300),
            date=format_date(ask.created_at, lang, tz, now),
            offers=offers,
        )
        blocks.append(section(line))
        blocks.append(
            actions(
                ids.your_ask_block(ask.id),
                resolve_button(ask, lang, style="primary"),
                button(t(lang, "followup.still_need_button"), ids.STILL_NEED, str(ask.id)),
                withdraw_button(ask, lang),
            )
        )
    if offered:
        lines = [
            "• " + t(lang, "followup.offered_line", asker=a.asker_id, text=excerpt(a.text, 150))
            for a in offered[:YOUR_ASKS]
        ]
        blocks.append(section(t(lang, "followup.offered_title") + "\n" + "\n".join(lines)))
    return blocks


def resurface_matched(ask: Ask, now: datetime, lang: str) -> tuple[str, Blocks]:
    """An unanswered ask, shown to someone thanked for similar help (not the asker's helper)."""
    intro = t(lang, "followup.resurface_body", asker=ask.asker_id, days=(now - ask.created_at).days)
    blocks: Blocks = [
        section(intro),
        nudge_views.ask_block(ask, lang),
        context(t(lang, "nudge.footer_short")),
    ]
    return t(lang, "followup.resurface_text", asker=ask.asker_id), blocks


def resolve_instead(
    ask: Ask, helpers: Sequence[str], thanks: dict[str, Any], lang: str
) -> tuple[str, Blocks]:
    """/thanks named people who offered on the thanker's open ask: resolve it (one favour, one
    credit), or record the thanks anyway. ``thanks``: the command, to record it as it was."""
    text = t(lang, "followup.resolve_instead", helpers=people(helpers, lang))
    resolve = {"ask": ask.id, "helpers": list(helpers), "note": thanks.get("note", "")}
    blocks: Blocks = [
        section(f"{text}\n{quote(ask.text, EXCERPT)}"),
        actions(
            ids.resolve_instead_block(ask.id),
            button(
                t(lang, "followup.resolve_instead_button"),
                ids.RESOLVE_INSTEAD,
                json.dumps(resolve),
                style="primary",
            ),
            button(
                t(lang, "followup.thank_separately_button"),
                ids.THANK_SEPARATELY,
                json.dumps(thanks),
            ),
        ),
    ]
    return text, blocks


def parse_json_value(value: str) -> dict[str, Any]:
    """A button value this module wrote (a JSON object); {} for anything else."""
    try:
        found = json.loads(value or "")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def busy_hold(
    ask: Ask, busy: Sequence[str], suggestions: Sequence[Suggestion], lang: str
) -> tuple[str, Blocks]:
    """Before a held ask is posted: people it names are busy; others who could help; post it
    as it is, without naming them, or with someone else instead."""
    text = t(lang, "followup.busy", people=people(busy, lang))
    blocks: Blocks = [section(f"{text}\n{quote(ask.text, EXCERPT)}")]
    if suggestions:
        blocks.append(section(t(lang, "followup.busy_others")))
    for person in suggestions:
        swap = button(t(lang, "followup.busy_swap"), ids.BUSY_SWAP, f"{ask.id}:{person.user_id}")
        line = section(t(lang, "followup.busy_person", user=person.user_id))
        blocks.append(with_accessory(line, ids.suggest_block(ask.id, person.user_id), swap))
    blocks.append(
        actions(
            ids.busy_block(ask.id),
            button(t(lang, "followup.busy_post"), ids.BUSY_POST, str(ask.id)),
            button(t(lang, "followup.busy_drop"), ids.BUSY_DROP, str(ask.id)),
        )
    )
    return text, blocks
