"""Block Kit for favours: ask messages, the give-first reply, the open-asks board, modals.

Action ids are stable and namespaced; every button carries the ask id in its ``value`` and
every modal its state in ``private_metadata``, so all of them work after a restart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain.favours import OPEN, RESOLVED, Ask, GiveFirst
from bot.i18n.catalog import t
from bot.views.blocks import Blocks, context, header, people, section

OFFER = "ask_offer"
ANYWAY = "ask_anyway"
RECHECK = "ask_recheck"
RESOLVE = "ask_resolve"
WITHDRAW = "ask_withdraw"
RESOLVE_VIEW = "ask_resolve_view"
THANKS_SHORTCUT = "thanks_shortcut"
THANKS_VIEW = "thanks_shortcut_view"
BOARD_MAX = 20  # asks listed on the board: two blocks each, well inside 50
EXCERPT = 280


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label[:75], "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def offer_button(ask: Ask, lang: str = "en") -> dict[str, Any]:
    """The "I can help" button for ``ask``: reusable anywhere (DMs, App Home, digests)."""
    return button(t(lang, "asks.offer_button"), OFFER, str(ask.id), style="primary")


def quote(text: str, limit: int = EXCERPT) -> str:
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return "\n".join(f">{line}" for line in text.splitlines() or [""])


def when(ask: Ask) -> str:
    """Slack renders the date in the reader's own timezone and language."""
    epoch = int(ask.created_at.timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}}|{ask.created_at:%Y-%m-%d}>"


def ask_message(ask: Ask, lang: str = "en", *, kind: str = "channel") -> tuple[str, Blocks]:
    """The posted ask (``kind`` channel: with the asker's controls; dm: a copy for someone named)."""
    if ask.status == RESOLVED:
        helpers = people(ask.helpers, lang)
        text = t(lang, "asks.message_resolved", asker=ask.asker_id, helpers=helpers)
        return text, [section(f"{text}\n{quote(ask.text)}")]
    if ask.status != OPEN:
        text = t(lang, "asks.message_withdrawn", asker=ask.asker_id)
        return text, [section(f"{text}\n{quote(ask.text)}")]
    text = t(lang, "asks.message", asker=ask.asker_id)
    blocks: Blocks = [section(f"{text}\n{quote(ask.text, 2900)}")]
    if ask.asked:
        blocks.append(context(t(lang, "asks.asked_people", people=people(ask.asked, lang))))
    if ask.offers:
        blocks.append(context(t(lang, "asks.offers", people=people(ask.offers, lang))))
    elements = [offer_button(ask, lang)]
    if kind == "channel":
        elements += [resolve_button(ask, lang), withdraw_button(ask, lang)]
    blocks.append({"type": "actions", "block_id": f"ask_{ask.id}", "elements": elements})
    return f"{text} {ask.text[:200]}", blocks


def resolve_button(ask: Ask, lang: str) -> dict[str, Any]:
    return button(t(lang, "asks.resolve_button"), RESOLVE, str(ask.id))


def withdraw_button(ask: Ask, lang: str) -> dict[str, Any]:
    element = button(t(lang, "asks.withdraw_button"), WITHDRAW, str(ask.id))
    element["confirm"] = {
        "title": {"type": "plain_text", "text": t(lang, "asks.withdraw_confirm_title")[:100]},
        "text": {"type": "plain_text", "text": t(lang, "asks.withdraw_confirm")[:300]},
        "confirm": {"type": "plain_text", "text": t(lang, "asks.withdraw_button")[:30]},
        "deny": {"type": "plain_text", "text": t(lang, "asks.keep_open")[:30]},
    }
    return element


def ask_line(ask: Ask, lang: str, *, helped_me: int = 0) -> str:
    line = t(lang, "asks.board_line", asker=ask.asker_id, when=when(ask))
    if helped_me:
        line += "  " + t(lang, "asks.helped_you", count=helped_me)
    return f"{line}\n{quote(ask.text)}"


def suggestion(ask: Ask, lang: str, *, helped_me: int = 0, viewer: str = "") -> dict[str, Any]:
    """One open ask as a section, with "I can help" unless it is the viewer's own."""
    block = section(ask_line(ask, lang, helped_me=helped_me))
    block["block_id"] = f"ask_{ask.id}"
    if ask.asker_id != viewer:
        block["accessory"] = offer_button(ask, lang)
    return block


def give_first_reply(
    decision: GiveFirst,
    ask: Ask,
    *,
    unreturned: Sequence[str],
    suggestions: Sequence[Ask],
    helped_me: Mapping[str, int],
    window_days: int,
    lang: str = "en",
) -> tuple[str, Blocks]:
    """The kind, concrete reply that suggests giving before asking."""
    b = decision.balance
    intro = t(lang, "asks.give_first", received=b.received, given=b.given, days=window_days)
    blocks: Blocks = [section(intro)]
    if unreturned:
        blocks.append(section(t(lang, "asks.unreturned", people=people(unreturned, lang))))
    if suggestions:
        blocks.append(section(t(lang, "asks.could_help")))
        for other in suggestions:
            blocks.append(suggestion(other, lang, helped_me=helped_me.get(other.asker_id, 0)))
    blocks.append(context(t(lang, "asks.your_ask", text=quote(ask.text, 500))))
    if decision.allow_anyway:
        blocks.append(context(t(lang, "asks.anyway_hint")))
        elements = [button(t(lang, "asks.anyway_button"), ANYWAY, str(ask.id))]
    else:
        blocks.append(context(t(lang, "asks.strict_hint")))
        elements = [button(t(lang, "asks.recheck_button"), RECHECK, str(ask.id))]
    blocks.append({"type": "actions", "block_id": f"held_{ask.id}", "elements": elements})
    return intro, blocks


def board(
    asks: Sequence[Ask],
    *,
    viewer: str,
    helped_me: Mapping[str, int],
    total: int,
    lang: str = "en",
) -> tuple[str, Blocks]:
    """``/giveback asks``: open asks, oldest first, those of people who helped the viewer marked."""
    title = t(lang, "asks.board_title")
    blocks: Blocks = [header(title)]
    if not asks:
        blocks.append(section(t(lang, "asks.board_empty")))
        return title, blocks
    for ask in asks[:BOARD_MAX]:
        blocks.append(
            suggestion(ask, lang, helped_me=helped_me.get(ask.asker_id, 0), viewer=viewer)
        )
    if total > min(len(asks), BOARD_MAX):
        blocks.append(context(t(lang, "asks.board_more", count=total - min(len(asks), BOARD_MAX))))
    blocks.append(context(t(lang, "asks.board_hint")))
    return f"{title} ({total})", blocks


def offer_dm(ask: Ask, offerer: str, lang: str = "en") -> tuple[str, Blocks]:
    """To the asker: someone offered; close the ask from here when it is done."""
    text = t(lang, "asks.offer_dm", offerer=offerer)
    blocks: Blocks = [
        section(f"{text}\n{quote(ask.text)}"),
        {
            "type": "actions",
            "block_id": f"offer_{ask.id}_{offerer}",
            "elements": [resolve_button(ask, lang)],
        },
    ]
    return text, blocks


def resolve_modal(ask: Ask, lang: str = "en") -> dict[str, Any]:
    """Pick who helped: those who offered are preselected; anyone can be added."""
    element: dict[str, Any] = {"type": "multi_users_select", "action_id": "helpers"}
    if ask.offers:
        element["initial_users"] = list(ask.offers)
    return {
        "type": "modal",
        "callback_id": RESOLVE_VIEW,
        "private_metadata": json.dumps({"ask": ask.id}),
        "title": {"type": "plain_text", "text": t(lang, "asks.resolve_title")[:24]},
        "submit": {"type": "plain_text", "text": t(lang, "asks.resolve_submit")[:24]},
        "close": {"type": "plain_text", "text": t(lang, "asks.cancel")[:24]},
        "blocks": [
            section(quote(ask.text, 2000)),
            {
                "type": "input",
                "block_id": "helpers",
                "label": {"type": "plain_text", "text": t(lang, "asks.resolve_who")[:2000]},
                "element": element,
            },
            {
                "type": "input",
                "block_id": "note",
                "optional": True,
                "label": {"type": "plain_text", "text": t(lang, "asks.resolve_note")[:2000]},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "note",
                    "multiline": True,
                    "max_length": 300,
                },
            },
        ],
    }


def thanks_modal(
    *, author: str | None, note: str, metadata: dict[str, Any], lang: str = "en"
) -> dict[str, Any]:
    """The "Thank the author" modal: the author preselected, the note prefilled."""
    who: dict[str, Any] = {"type": "users_select", "action_id": "helper"}
    if author:
        who["initial_user"] = author
    note_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "note",
        "multiline": True,
        "max_length": 300,
    }
    if note:
        note_input["initial_value"] = note[:300]
    return {
        "type": "modal",
        "callback_id": THANKS_VIEW,
        "private_metadata": json.dumps(metadata),
        "title": {"type": "plain_text", "text": t(lang, "shortcut.title")[:24]},
        "submit": {"type": "plain_text", "text": t(lang, "shortcut.submit")[:24]},
        "close": {"type": "plain_text", "text": t(lang, "asks.cancel")[:24]},
        "blocks": [
            {
                "type": "input",
                "block_id": "helper",
                "label": {"type": "plain_text", "text": t(lang, "shortcut.who")},
                "element": who,
            },
            {
                "type": "input",
                "block_id": "note",
                "optional": True,
                "label": {"type": "plain_text", "text": t(lang, "shortcut.note")},
                "element": note_input,
            },
        ],
    }


def helper_thanks_dm(ask: Ask, note: str, lang: str = "en") -> tuple[str, Blocks]:
    text = t(lang, "asks.thanks_dm", asker=ask.asker_id)
    body = f"{text}\n{quote(ask.text)}"
    if note:
        body += "\n" + t(lang, "asks.thanks_dm_note", note=note)
    return text, [section(body)]


def over_asked_note(busy: Sequence[str], others: Sequence[str], lang: str = "en") -> str:
    line = t(lang, "asks.over_asked", people=people(busy, lang))
    if others:
        line += " " + t(lang, "asks.over_asked_others", people=people(others, lang))
    return line
