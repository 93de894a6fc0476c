"""Block Kit for tending your network on Home (pure): ties going quiet, leaving a tie out of
your own view, and whether you may be suggested to colleagues who ask for help."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.favours import Ask
from bot.domain.network import Counterpart
from bot.i18n.catalog import t
from bot.i18n.localize import format_date
from bot.views import ids
from bot.views.asks import offer_button
from bot.views.blocks import (
    Blocks,
    button,
    colleagues,
    excerpt,
    plain_text,
    section,
    with_accessory,
)

QuietTie = tuple[Counterpart, Ask | None]  # a quiet tie, and an open ask of theirs if any


def quiet_ties_blocks(ties: Sequence[QuietTie], lang: str, tz: str | None, now: datetime) -> Blocks:
    """Two-way ties with no help either way for a while, each with their open ask to help on."""
    if not ties:
        return []
    blocks: Blocks = [section(t(lang, "tend.quiet_title"))]
    for tie, ask in ties:
        date = format_date(tie.last_exchange, lang, tz, now) if tie.last_exchange else "-"
        if ask is None:
            blocks.append(section(t(lang, "tend.quiet_item", user=tie.user_id, date=date)))
            continue
        text = t(
            lang, "tend.quiet_item_ask", user=tie.user_id, date=date, text=excerpt(ask.text, 200)
        )
        blocks.append(with_accessory(section(text), ids.ask_block(ask.id), offer_button(ask, lang)))
    return blocks


def hide_tie_blocks(hidden: Sequence[str], lang: str) -> Blocks:
    """Pick a colleague to leave out of your network view; "Show everyone again" once any are."""
    picker: dict[str, Any] = {
        "type": "users_select",
        "action_id": ids.HIDE_TIE,
        "placeholder": plain_text(t(lang, "tend.hide_placeholder"), 150),
    }
    blocks: Blocks = [with_accessory(section(t(lang, "tend.hide_label")), ids.TEND_BLOCK, picker)]
    if hidden:
        again = button(t(lang, "tend.show_all_button"), ids.SHOW_TIES, "all")
        blocks.append(
            with_accessory(
                section(t(lang, "tend.hidden", colleagues=colleagues(lang, len(hidden)))),
                ids.HIDDEN_TIES_BLOCK,
                again,
            )
        )
    return blocks


def suggestable_toggle(on: bool, lang: str) -> dict[str, Any]:
    """Whether colleagues who ask for help may be told about you; the button carries the state
    it sets, so a double click cannot flip it back."""
    block = section(t(lang, "tend.suggest_on" if on else "tend.suggest_off"))
    label = t(lang, "home.turn_off" if on else "home.turn_on")
    block["accessory"] = button(label, ids.SUGGESTABLE_TOGGLE, "off" if on else "on")
    return block
