"""Block Kit for favours: ask messages, the give-first reply, the open-asks board, modals.

Every button carries the ask id in its ``value`` and every modal its state in
``private_metadata``, so all of them work after a restart (ids: bot.views.ids).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.favours import HELD, OPEN, RESOLVED, Ask, GiveFirst
from bot.domain.parsing import clean_note
from bot.i18n.catalog import t
from bot.views import ids
from bot.views.blocks import (
    Blocks,
    actions,
    button,
    context,
    excerpt,
    header,
    people,
    quote,
    section,
    times,
    with_accessory,
)

BOARD_MAX = 20  # asks listed on the board: two blocks each, well inside 50
EXCERPT = 280
ASK_PREVIEW = 200  # an ask on one line, in a sentence of ours
POSTED_MAX = 2900  # the ask itself, in its own post: nearly all of a section


def offer_button(ask: Ask, lang: str = "en") -> dict[str, Any]:
    """The "I can help" button for ``ask``: the same wherever an ask is shown."""
    return button(t(lang, "asks.offer_button"), ids.OFFER, str(ask.id), style="primary")


def closed_reason(ask: Ask | None, lang: str) -> str:
    """Why an ask cannot be acted on any more, in words."""
    if ask is None:
        return t(lang, "asks.gone")
    if ask.status == RESOLVED:
        return t(lang, "asks.already_resolved", helpers=people(ask.helpers, lang))
    if ask.status == HELD:
        return t(lang, "asks.not_posted")
    return t(lang, "asks.already_withdrawn")


def refusal(ask: Ask | None, user_id: str, lang: str, *, by_asker: bool) -> str | None:
    """Why ``user_id`` may not act on ``ask`` (as its asker, or as anyone else); None if they
    may."""
    if ask is None or not ask.is_open:
        return closed_reason(ask, lang)
    if by_asker and ask.asker_id != user_id:
        return t(lang, "asks.only_asker", asker=ask.asker_id)
    if not by_asker and ask.asker_id == user_id:
        return t(lang, "asks.own_offer")
    return None


def when(ask: Ask) -> str:
    """Slack renders the date in the reader's own timezone and language."""
    epoch = int(ask.created_at.timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}}|{ask.created_at:%Y-%m-%d}>"


def ask_message(ask: Ask, lang: str = "en", *, kind: str = "channel") -> tuple[str, Blocks]:
    """The posted ask (``kind`` channel: with the asker's controls; dm: a copy for someone named)."""
    if ask.status == RESOLVED:
        helpers = people(ask.helpers, lang)
        text = t(lang, "asks.message_resolved", asker=ask.asker_id, helpers=helpers)
        return text, [section(f"{text}\n{quote(ask.text, EXCERPT)}")]
    if ask.status != OPEN:
        text = t(lang, "asks.message_withdrawn", asker=ask.asker_id)
        if ask.closed_by == "auto" and ask.closed_at is not None:
            days = (ask.closed_at - (ask.touched_at or ask.created_at)).days
            text = t(lang, "followup.autoclosed_message", asker=ask.asker_id, days=days)
        return text, [section(f"{text}\n{quote(ask.text, EXCERPT)}")]
    text = t(lang, "asks.message", asker=ask.asker_id)
    blocks: Blocks = [section(f"{text}\n{quote(ask.text, POSTED_MAX)}")]
    if ask.asked:
        blocks.append(context(t(lang, "asks.asked_people", people=people(ask.asked, lang))))
    if ask.offers:
        blocks.append(context(t(lang, "asks.offers", people=people(ask.offers, lang))))
    elements = [offer_button(ask, lang)]
    if kind == "channel":
        elements += [resolve_button(ask, lang), withdraw_button(ask, lang)]
    else:  # the copy DMed to someone named: they may pass on it
        elements.append(button(t(lang, "followup.decline_button"), ids.DECLINE, str(ask.id)))
    blocks.append(actions(ids.ask_block(ask.id), *elements))
    return f"{text} {ask.text[:200]}", blocks


def resolve_button(ask: Ask, lang: str, *, style: str | None = None) -> dict[str, Any]:
    return button(t(lang, "asks.resolve_button"), ids.RESOLVE, str(ask.id), style=style)


def withdraw_button(ask: Ask, lang: str) -> dict[str, Any]:
    element = button(t(lang, "asks.withdraw_button"), ids.WITHDRAW, str(ask.id))
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
        line += "  " + t(lang, "asks.helped_you", count=times(lang, helped_me))
    return f"{line}\n{quote(ask.text, EXCERPT)}"


def suggestion(ask: Ask, lang: str, *, helped_me: int = 0, viewer: str = "") -> dict[str, Any]:
    """One open ask as a section, with "I can help" unless it is the viewer's own."""
    offer = offer_button(ask, lang) if ask.asker_id != viewer else None
    return with_accessory(
        section(ask_line(ask, lang, helped_me=helped_me)), ids.ask_block(ask.id), offer
    )


def invited_ask(
    ask: Ask, lang: str, button: dict[str, Any], *, helped_me: bool = False
) -> dict[str, Any]:
    """An ask someone is invited to help with (give-first reply, invitation DM): who asks and
    what, a mark if they helped the reader before, its "I can help"; no count, no date."""
    text = t(lang, "nudge.ask_line", asker=ask.asker_id, text=excerpt(ask.text, ASK_PREVIEW))
    if helped_me:
        text += "\n" + t(lang, "asks.helped_you_before")
    return with_accessory(section(text), ids.ask_block(ask.id), button)


def give_first_reply(
    decision: GiveFirst,
    ask: Ask,
    *,
    suggestions: Sequence[Ask],
    helped_me: Mapping[str, int],
    lang: str = "en",
) -> tuple[str, Blocks]:
    """The give-first moment: concrete asks to help with, each with "I can help" (which also
    posts the held ask), and the held ask ready to go. No numbers, nobody "owed"."""
    intro = t(lang, "asks.give_first")
    blocks: Blocks = [section(intro), section(t(lang, "asks.could_help"))]
    for other in suggestions:
        offer = button(
            t(lang, "asks.offer_button"),
            ids.OFFER_AND_POST,
            ids.offer_and_post_value(other.id, ask.id),
            style="primary",
        )
        blocks.append(
            invited_ask(other, lang, offer, helped_me=bool(helped_me.get(other.asker_id)))
        )
    blocks.append(context(t(lang, "asks.your_ask", text=quote(ask.text, 500))))
    if decision.allow_anyway:
        blocks.append(context(t(lang, "asks.anyway_hint")))
        again = button(t(lang, "asks.anyway_button"), ids.ANYWAY, str(ask.id))
    else:
        blocks.append(context(t(lang, "asks.strict_hint")))
        again = button(t(lang, "asks.recheck_button"), ids.RECHECK, str(ask.id))
    blocks.append(actions(ids.held_block(ask.id), again))
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
        section(f"{text}\n{quote(ask.text, EXCERPT)}"),
        actions(ids.offer_block(ask.id, offerer), resolve_button(ask, lang)),
    ]
    return text, blocks


def resolve_modal(ask: Ask, lang: str = "en") -> dict[str, Any]:
    """Pick who helped: those who offered are preselected; anyone can be added."""
    element: dict[str, Any] = {"type": "multi_users_select", "action_id": ids.HELPERS_INPUT}
    if ask.offers:
        element["initial_users"] = list(ask.offers)
    return {
        "type": "modal",
        "callback_id": ids.RESOLVE_VIEW,
        "private_metadata": json.dumps({"ask": ask.id}),
        "title": {"type": "plain_text", "text": t(lang, "asks.resolve_title")[:24]},
        "submit": {"type": "plain_text", "text": t(lang, "asks.resolve_submit")[:24]},
        "close": {"type": "plain_text", "text": t(lang, "asks.cancel")[:24]},
        "blocks": [
            section(quote(ask.text, 2000)),
            {
                "type": "input",
                "block_id": ids.HELPERS_INPUT,
                "label": {"type": "plain_text", "text": t(lang, "asks.resolve_who")[:2000]},
                "element": element,
            },
            {
                "type": "input",
                "block_id": ids.NOTE_INPUT,
                "optional": True,
                "label": {"type": "plain_text", "text": t(lang, "asks.resolve_note")[:2000]},
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.NOTE_INPUT,
                    "multiline": True,
                    "max_length": 300,
                },
            },
        ],
    }


@dataclass(frozen=True)
class ResolveSubmission:
    """What the "who helped?" modal sends back."""

    ask_id: int
    helpers: tuple[str, ...]  # chosen, without the asker
    picked_self: bool
    note: str


def resolve_submission(view: dict[str, Any], user_id: str) -> ResolveSubmission:
    metadata = json.loads(view.get("private_metadata") or "{}")
    values = view.get("state", {}).get("values", {})
    helpers = values.get(ids.HELPERS_INPUT, {}).get(ids.HELPERS_INPUT, {})
    selected = helpers.get("selected_users") or []
    note = values.get(ids.NOTE_INPUT, {}).get(ids.NOTE_INPUT, {}).get("value") or ""
    return ResolveSubmission(
        ask_id=int(metadata.get("ask", -1)),
        helpers=tuple(dict.fromkeys(u for u in selected if u != user_id)),
        picked_self=user_id in selected,
        note=clean_note(note)[0],
    )


def helper_thanks_dm(ask: Ask, note: str, lang: str = "en") -> tuple[str, Blocks]:
    text = t(lang, "asks.thanks_dm", asker=ask.asker_id)
    body = f"{text}\n{quote(ask.text, EXCERPT)}"
    if note:
        body += "\n" + t(lang, "asks.thanks_dm_note", note=note)
    return text, [section(body)]
