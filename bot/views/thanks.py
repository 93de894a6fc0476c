"""Saying thanks on screen: the announcement, what went wrong, and both "thank someone" forms.

The Home tab's "Thank someone" modal (several people) and the "Thank the author" shortcut's
modal (one person, about a message) live here with their parsers, so the two forms and
what is read back from them cannot drift apart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.parsing import NOTE_MAX, ThanksRequest, clean_note
from bot.domain.thanks import ThanksOutcome
from bot.i18n.catalog import t
from bot.views import ids
from bot.views.blocks import Blocks, context, excerpt, people, plain_text, section

TITLE_MAX = 24  # a modal's title, submit and close labels
MAX_PEOPLE = 10  # chosen at once in the "Thank someone" form
NOTE_SHOWN = 280  # a note inside an announcement or a DM: one line, cut at a word
ROLLUP_NAMES = 8  # names in a rolled-up reply before "and N others"
# "thanks for", "thank you so much for", "many thanks for", or a bare "for", at the start.
LEADING_THANKS = re.compile(
    r"^\s*(?:(?:many\s+)?(?:thanks|thank\s*you|thx|ty)(?:\s+(?:so|very)\s+much|\s+a\s+lot)?"
    r"\s*[,!:]?\s+)?for\s+",
    re.IGNORECASE,
)


def about(note: str) -> str:
    """The note as the end of "… thanked @bob: …": a leading "thanks for" or "for" says twice
    what the sentence already says."""
    return LEADING_THANKS.sub("", note, count=1) or note


def thanks_announcement(
    giver: str,
    helpers: tuple[str, ...],
    note: str,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> tuple[str, Blocks]:
    """The public message when someone thanks people: positive, names everyone, shows the note
    on one line. Only the people thanked are pinged; anyone else the note mentions is named."""
    if note:
        shown = excerpt(about(note), NOTE_SHOWN, pings=helpers, names=names)
        text = t(lang, "thanks.announce", giver=giver, helpers=people(helpers, lang), note=shown)
    else:
        text = t(lang, "thanks.announce_no_note", giver=giver, helpers=people(helpers, lang))
    return text, [section(text)]


def thanks_dm(
    giver: str,
    note: str,
    lang: str,
    *,
    names: Mapping[str, str] | None = None,
    intro: bool = False,
) -> tuple[str, Blocks]:
    """What the person thanked gets by DM: who, what for and, the first time, what giveback is."""
    if note:
        shown = excerpt(about(note), NOTE_SHOWN, pings=(), names=names)
        text = t(lang, "announce.dm", giver=giver, note=shown)
    else:
        text = t(lang, "announce.dm_no_note", giver=giver)
    blocks: Blocks = [section(text)]
    if intro:
        blocks.append(context(t(lang, "reach.intro")))
    return text, blocks


def names_list(names: Sequence[str | None], lang: str, *, most: int = ROLLUP_NAMES) -> str:
    """ "Dave, Erin and Bob" / "Dave さん、Erin さん、Bob さん" (plain names: nobody is pinged),
    with "and 3 others" past ``most``; None is someone whose name Slack did not tell us."""
    honorific = " さん" if lang == "ja" else ""
    shown = [_plain(n) + honorific if n else t(lang, "rollup.someone") for n in names[:most]]
    rest = len(names) - len(shown)
    if lang == "ja":
        return "、".join(shown) + (t(lang, "rollup.others", n=rest) if rest else "")
    if rest:
        return ", ".join(shown) + " " + t(lang, "rollup.others", n=rest)
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]  # as people() joins mentions


def reaction_rollup(helper: str, thankers: Sequence[str | None], lang: str) -> tuple[str, Blocks]:
    """The one reply under a message that every thank-you reaction on it updates."""
    text = t(lang, "rollup.text", names=names_list(thankers, lang), helper=helper)
    return text, [context(text)]


def _plain(name: str) -> str:
    """A display name inside our mrkdwn: no markup of its own."""
    return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") or "?"


def thanks_problems(outcome: ThanksOutcome, lang: str) -> list[str]:
    """Friendly explanations for the person who said thanks, most important first."""
    lines = []
    request = outcome.request
    if outcome.unknown:
        lines.append(t(lang, "thanks.lookup_failed", people=people(outcome.unknown, lang)))
    if request.self_mentioned:
        lines.append(t(lang, "thanks.self"))
    if outcome.bots:
        lines.append(t(lang, "thanks.bots", people=people(outcome.bots, lang)))
    if request.empty and not request.self_mentioned:
        lines.append(t(lang, "thanks.plain_at" if request.plain_at else "thanks.no_person"))
    if request.note_truncated and outcome.helpers:
        lines.append(t(lang, "thanks.truncated", limit=NOTE_MAX))
    return lines


def _modal(
    callback_id: str, title: str, submit: str, close: str, blocks: Blocks, metadata: str
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "title": plain_text(title, TITLE_MAX),
        "submit": plain_text(submit, TITLE_MAX),
        "close": plain_text(close, TITLE_MAX),
        "blocks": blocks,
    }


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if optional:
        block["optional"] = True
    return block


def _note_input(placeholder: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.NOTE_INPUT,
        "multiline": True,
        "max_length": NOTE_MAX,
    }
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder}
    return element


def thanks_modal(lang: str) -> dict[str, Any]:
    """The Home tab's "Thank someone": pick people, say what for."""
    people_input = {
        "type": "multi_users_select",
        "action_id": ids.HELPERS_INPUT,
        "max_selected_items": MAX_PEOPLE,
        "placeholder": {"type": "plain_text", "text": t(lang, "modal.helpers_placeholder")},
    }
    blocks = [
        _input(ids.HELPERS_INPUT, t(lang, "modal.helpers_label"), people_input),
        _input(
            ids.NOTE_INPUT,
            t(lang, "modal.note_label"),
            _note_input(t(lang, "modal.note_placeholder")),
            optional=True,
        ),
    ]
    return _modal(
        ids.THANKS_MODAL,
        t(lang, "modal.title"),
        t(lang, "modal.submit"),
        t(lang, "modal.close"),
        blocks,
        metadata=lang,
    )


def thanks_done_modal(text: str, lang: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.THANKS_MODAL_DONE,
        "title": plain_text(t(lang, "modal.done_title"), TITLE_MAX),
        "close": plain_text(t(lang, "modal.done_close"), TITLE_MAX),
        "blocks": [section(text)],
    }


def shortcut_modal(
    *, author: str | None, link: str, metadata: dict[str, Any], lang: str = "en"
) -> dict[str, Any]:
    """The "Thank the author" modal: the author preselected, the note left for the person to
    write, and the message's link shown above it as context."""
    who: dict[str, Any] = {"type": "users_select", "action_id": ids.HELPER_INPUT}
    if author:
        who["initial_user"] = author
    blocks = [
        _input(ids.HELPER_INPUT, t(lang, "shortcut.who"), who),
        _input(ids.NOTE_INPUT, t(lang, "shortcut.note"), _note_input(), optional=True),
    ]
    if link:
        blocks.insert(0, context(t(lang, "shortcut.about", link=link)))
    return _modal(
        ids.THANKS_SHORTCUT_VIEW,
        t(lang, "shortcut.title"),
        t(lang, "shortcut.submit"),
        t(lang, "asks.cancel"),
        blocks,
        metadata=json.dumps(metadata),
    )


def _value(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    values = view.get("state", {}).get("values", {})
    return values.get(block_id, {}).get(block_id, {}) or {}


def modal_request(view: dict[str, Any], user_id: str) -> ThanksRequest:
    """The "Thank someone" modal's state as a thanks request (what ``parse_thanks`` makes of
    typed text)."""
    chosen = _value(view, ids.HELPERS_INPUT).get("selected_users") or []
    note, truncated = clean_note(_value(view, ids.NOTE_INPUT).get("value") or "")
    return ThanksRequest(
        receivers=tuple(dict.fromkeys(u for u in chosen if u != user_id)),
        note=note,
        note_truncated=truncated,
        self_mentioned=user_id in chosen,
    )


@dataclass(frozen=True)
class ShortcutSubmission:
    """What the "Thank the author" modal sends back: whom, what for, and about which message."""

    helper: str | None
    note: str
    channel: str | None
    ts: str | None
    thread_ts: str | None


def shortcut_submission(view: dict[str, Any]) -> ShortcutSubmission:
    metadata = json.loads(view.get("private_metadata") or "{}")
    note, _ = clean_note(_value(view, ids.NOTE_INPUT).get("value") or "")
    return ShortcutSubmission(
        helper=_value(view, ids.HELPER_INPUT).get("selected_user"),
        note=note,
        channel=metadata.get("channel"),
        ts=metadata.get("ts"),
        thread_ts=metadata.get("thread_ts"),
    )
