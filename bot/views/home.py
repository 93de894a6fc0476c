"""Block Kit for the App Home tab (pure): everything one person sees of giveback, privately."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.favours import Ask
from bot.domain.network import Counterpart
from bot.domain.records import HelpEvent, Ledger
from bot.i18n.catalog import t
from bot.i18n.localize import format_date
from bot.views import ids
from bot.views.asks import offer_button
from bot.views.blocks import (
    Blocks,
    actions,
    button,
    context,
    divider,
    excerpt,
    fields,
    header,
    section,
    with_accessory,
)
from bot.views.followup import your_asks_blocks
from bot.views.insights import counts_fields, favour_lines, list_section, network_blocks
from bot.views.suggest import known_for_blocks
from bot.views.tend import QuietTie, hide_tie_blocks, quiet_ties_blocks, suggestable_toggle
from bot.views.thanks import about

MAX_ASKS = 5
ASK_EXCERPT = 500
RECEIVED_EXCERPT = 200  # a note in "Thanks you received": a line or two
VIEW_BLOCK_LIMIT = 100


@dataclass(frozen=True)
class HomeData:
    """Everything the Home tab shows one person; gathered by the handler, rendered here."""

    user_id: str
    ledger: Ledger
    window_days: int
    network: list[Counterpart] = field(default_factory=list)
    thank_back: list[Counterpart] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)
    nudges: bool = True
    detect_thanks: bool = True
    tz: str | None = None
    received: list[HelpEvent] = field(default_factory=list)  # newest first
    known_for: list[str] = field(default_factory=list)  # what colleagues thank them for most
    my_asks: list[Ask] = field(default_factory=list)  # their own open asks
    offered_asks: list[Ask] = field(default_factory=list)  # open asks they offered on
    quiet_ties: list[QuietTie] = field(default_factory=list)  # two-way ties going quiet
    hidden_ties: tuple[str, ...] = ()  # left out of their network view
    suggestable: bool = True


def _counts(data: HomeData, lang: str) -> Blocks:
    ledger = data.ledger
    favours = favour_lines(ledger, data.window_days, lang)
    if not (ledger.given_total or ledger.received_total or favours):
        return [section(t(lang, "home.balance_empty"))]
    blocks: Blocks = [fields(*counts_fields(ledger, data.window_days, lang))]
    if favours:
        blocks.append(context(" ".join(favours)))
    return blocks


def received_blocks(events: list[HelpEvent], lang: str, tz: str | None, now: datetime) -> Blocks:
    """ "Thanks you received": who, when and what for, newest first, in the person's words."""
    lines = []
    for event in events:
        date = format_date(event.created_at, lang, tz, now)
        if event.note:
            note = excerpt(about(event.note), RECEIVED_EXCERPT)
            lines.append(
                t(lang, "home.received_item", giver=event.receiver_id, date=date, note=note)
            )
        elif event.source == "reaction" and event.channel_id:
            lines.append(
                t(
                    lang,
                    "home.received_item_reaction",
                    giver=event.receiver_id,
                    date=date,
                    channel=event.channel_id,
                )
            )
        else:
            lines.append(t(lang, "home.received_item_plain", giver=event.receiver_id, date=date))
    return [list_section(lang, "home.received_title", lines, "home.received_empty")]


def _asks(asks: list[Ask], lang: str, tz: str | None, now: datetime) -> Blocks:
    if not asks:
        return [list_section(lang, "home.asks_title", [], "home.asks_empty")]
    blocks: Blocks = [section(t(lang, "home.asks_title"))]
    for ask in asks[:MAX_ASKS]:
        text = t(
            lang,
            "home.ask_item",
            user=ask.asker_id,
            text=excerpt(ask.text, ASK_EXCERPT),
            date=format_date(ask.created_at, lang, tz, now),
        )
        blocks.append(with_accessory(section(text), ids.ask_block(ask.id), offer_button(ask, lang)))
    return blocks


def _toggle(on: bool, on_key: str, off_key: str, action_id: str, lang: str) -> dict[str, Any]:
    # The button carries the state it sets, so a double click cannot flip it back.
    label = t(lang, "home.turn_off" if on else "home.turn_on")
    block = section(t(lang, on_key if on else off_key))
    block["accessory"] = button(label, action_id, "off" if on else "on")
    return block


def build_home(data: HomeData, lang: str, now: datetime) -> dict[str, Any]:
    """The Home tab view for ``data.user_id``: private to them by construction."""
    blocks: Blocks = [
        header(t(lang, "home.title")),
        section(t(lang, "home.intro")),
        actions(
            ids.HOME_ACTIONS_BLOCK,
            button(t(lang, "home.thank_button"), ids.THANK_BUTTON, style="primary"),
        ),
        *_counts(data, lang),
        *known_for_blocks(data.known_for, lang),
        *received_blocks(data.received, lang, data.tz, now),
        divider(),
        *network_blocks(data.network, data.thank_back, lang, data.tz, now),
        *quiet_ties_blocks(data.quiet_ties, lang, data.tz, now),
        *hide_tie_blocks(data.hidden_ties, lang),
        divider(),
        *your_asks_blocks(data.my_asks, data.offered_asks, lang, data.tz, now),
        divider(),
        *_asks(data.asks, lang, data.tz, now),
        divider(),
        section(t(lang, "home.settings_title")),
        _toggle(data.nudges, "home.nudges_on", "home.nudges_off", ids.NUDGES_TOGGLE, lang),
        _toggle(data.detect_thanks, "home.detect_on", "home.detect_off", ids.DETECT_TOGGLE, lang),
        suggestable_toggle(data.suggestable, lang),
        context(t(lang, "home.private")),
    ]
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}
