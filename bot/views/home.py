"""Block Kit for the App Home tab, the network message and the "Thank someone" modal (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.favours import Ask
from bot.domain.network import Counterpart
from bot.domain.parsing import NOTE_MAX
from bot.domain.records import Ledger
from bot.i18n.catalog import t
from bot.i18n.localize import format_date, format_number
from bot.views.blocks import Blocks, context, header, section

MAX_ASKS = 5
VIEW_BLOCK_LIMIT = 100
THANKS_MODAL = "thanks_modal"
NUDGES_TOGGLE = "home_nudges_toggle"
DETECT_TOGGLE = "home_detect_toggle"
THANK_BUTTON = "home_thank"
ASK_OFFER = "ask_offer"  # handled by the asks feature


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


def times(lang: str, n: int) -> str:
    key = "count.times_one" if n == 1 else "count.times_other"
    return t(lang, key, n=format_number(n, lang))


def colleagues(lang: str, n: int) -> str:
    key = "count.colleagues_one" if n == 1 else "count.colleagues_other"
    return t(lang, key, n=format_number(n, lang))


def _date(moment: datetime | None, lang: str, tz: str | None, now: datetime) -> str:
    return format_date(moment, lang, tz, now) if moment else "-"


def network_blocks(
    network: list[Counterpart],
    thank_back: list[Counterpart],
    lang: str,
    tz: str | None,
    now: datetime,
) -> Blocks:
    """Two sections, each one block however long its list (the lists are capped upstream)."""
    network_lines = [
        t(
            lang,
            "home.network_item",
            user=c.user_id,
            given=times(lang, c.given),
            received=times(lang, c.received),
            date=_date(c.last_exchange, lang, tz, now),
        )
        for c in network
    ]
    thank_back_lines = [
        t(
            lang,
            "home.thank_back_item",
            user=c.user_id,
            count=times(lang, c.received),
            date=_date(c.last_received, lang, tz, now),
        )
        for c in thank_back
    ]
    return [
        _list_section(lang, "home.network_title", network_lines, "home.network_empty"),
        _list_section(lang, "home.thank_back_title", thank_back_lines, "home.thank_back_empty"),
    ]


def _list_section(lang: str, title_key: str, lines: list[str], empty_key: str) -> dict[str, Any]:
    """A title, then one line per item, or the ``empty_key`` line when there are none."""
    return section(t(lang, title_key) + "\n" + "\n".join(lines or [t(lang, empty_key)]))


def _balance(data: HomeData, lang: str) -> Blocks:
    ledger = data.ledger
    if not (ledger.given_total or ledger.received_total):
        return [section(t(lang, "home.balance_empty"))]
    given = t(
        lang,
        "ledger.given",
        recent=format_number(ledger.given_recent, lang),
        total=format_number(ledger.given_total, lang),
        days=data.window_days,
    )
    received = t(
        lang,
        "ledger.received",
        recent=format_number(ledger.received_recent, lang),
        total=format_number(ledger.received_total, lang),
        days=data.window_days,
    )
    return [
        {
            "type": "section",
            "fields": [{"type": "mrkdwn", "text": given}, {"type": "mrkdwn", "text": received}],
        }
    ]


def _asks(asks: list[Ask], lang: str, tz: str | None, now: datetime) -> Blocks:
    blocks: Blocks = [section(t(lang, "home.asks_title"))]
    if not asks:
        return [_list_section(lang, "home.asks_title", [], "home.asks_empty")]
    for ask in asks[:MAX_ASKS]:
        text = t(
            lang,
            "home.ask_item",
            user=ask.asker_id,
            text=ask.text[:500],
            date=format_date(ask.created_at, lang, tz, now),
        )
        block = section(text)
        block["block_id"] = f"ask_{ask.id}"[:255]
        block["accessory"] = button(
            t(lang, "home.ask_button"), ASK_OFFER, str(ask.id), primary=True
        )
        blocks.append(block)
    return blocks


def button(text: str, action_id: str, value: str = "", *, primary: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:75], "emoji": True},
        "action_id": action_id,
    }
    if value:
        element["value"] = value[:2000]
    if primary:
        element["style"] = "primary"
    return element


def _toggle(on: bool, on_key: str, off_key: str, action_id: str, lang: str) -> dict[str, Any]:
    block = section(t(lang, on_key if on else off_key))
    # The button carries the state it sets, so a double click cannot flip it back.
    label = t(lang, "home.turn_off" if on else "home.turn_on")
    block["accessory"] = button(label, action_id, "off" if on else "on")
    return block


def build_home(data: HomeData, lang: str, now: datetime) -> dict[str, Any]:
    """The Home tab view for ``data.user_id``: private to them by construction."""
    blocks: Blocks = [
        header(t(lang, "home.title")),
        section(t(lang, "home.intro")),
        {
            "type": "actions",
            "block_id": "home_actions",
            "elements": [button(t(lang, "home.thank_button"), THANK_BUTTON, primary=True)],
        },
        *_balance(data, lang),
        {"type": "divider"},
        *network_blocks(data.network, data.thank_back, lang, data.tz, now),
        {"type": "divider"},
        *_asks(data.asks, lang, data.tz, now),
        {"type": "divider"},
        section(t(lang, "home.settings_title")),
        _toggle(data.nudges, "home.nudges_on", "home.nudges_off", NUDGES_TOGGLE, lang),
        _toggle(data.detect_thanks, "home.detect_on", "home.detect_off", DETECT_TOGGLE, lang),
        context(t(lang, "home.private")),
    ]
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}


def network_message(
    network: list[Counterpart],
    thank_back: list[Counterpart],
    lang: str,
    tz: str | None,
    now: datetime,
) -> tuple[str, Blocks]:
    """``/giveback network``: the Home tab's network sections as an ephemeral message."""
    title = t(lang, "network.title")
    blocks = [
        header(title),
        *network_blocks(network, thank_back, lang, tz, now),
        context(t(lang, "ledger.private")),
    ]
    return title, blocks


def thanks_modal(lang: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": THANKS_MODAL,
        "title": {"type": "plain_text", "text": t(lang, "modal.title")[:24]},
        "submit": {"type": "plain_text", "text": t(lang, "modal.submit")[:24]},
        "close": {"type": "plain_text", "text": t(lang, "modal.close")[:24]},
        "private_metadata": lang,
        "blocks": [
            {
                "type": "input",
                "block_id": "helpers",
                "label": {"type": "plain_text", "text": t(lang, "modal.helpers_label")},
                "element": {
                    "type": "multi_users_select",
                    "action_id": "helpers",
                    "max_selected_items": 10,
                    "placeholder": {
                        "type": "plain_text",
                        "text": t(lang, "modal.helpers_placeholder"),
                    },
                },
            },
            {
                "type": "input",
                "block_id": "note",
                "optional": True,
                "label": {"type": "plain_text", "text": t(lang, "modal.note_label")},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "note",
                    "multiline": True,
                    "max_length": NOTE_MAX,
                    "placeholder": {
                        "type": "plain_text",
                        "text": t(lang, "modal.note_placeholder"),
                    },
                },
            },
        ],
    }


def thanks_done_modal(text: str, lang: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": f"{THANKS_MODAL}_done",
        "title": {"type": "plain_text", "text": t(lang, "modal.done_title")[:24]},
        "close": {"type": "plain_text", "text": t(lang, "modal.done_close")[:24]},
        "blocks": [section(text)],
    }
