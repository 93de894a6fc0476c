"""Block Kit builders: pure functions from domain records to Slack message payloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.records import Ledger, PersonCount
from bot.i18n.catalog import t

Blocks = list[dict[str, Any]]


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def people(user_ids: Sequence[str], lang: str = "en") -> str:
    """``<@a>``, ``<@a> and <@b>``, ``<@a>, <@b> and <@c>``.

    Japanese templates put さん after the list; every name but the last gets its own here.
    """
    names = [mention(u) for u in user_ids]
    joiner = " さん、" if lang == "ja" else ", "
    last = joiner if lang == "ja" else " and "
    if len(names) <= 1:
        return "".join(names)
    return joiner.join(names[:-1]) + last + names[-1]


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text[:3000]}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def thanks_announcement(
    giver: str, helpers: tuple[str, ...], note: str, lang: str = "en"
) -> tuple[str, Blocks]:
    """The public message when someone thanks people: positive, names everyone, shows the note."""
    if note:
        text = t(lang, "thanks.announce", giver=giver, helpers=people(helpers, lang), note=note)
    else:
        text = t(lang, "thanks.announce_no_note", giver=giver, helpers=people(helpers, lang))
    return text, [section(text)]


def ledger_view(ledger: Ledger, window_days: int, lang: str = "en") -> tuple[str, Blocks]:
    title = t(lang, "ledger.title")
    blocks: Blocks = [header(title)]
    if not (ledger.given_total or ledger.received_total):
        blocks.append(section(t(lang, "ledger.empty")))
        return title, blocks
    days = window_days
    given = t(lang, "ledger.given", recent=ledger.given_recent, total=ledger.given_total, days=days)
    received = t(
        lang,
        "ledger.received",
        recent=ledger.received_recent,
        total=ledger.received_total,
        days=days,
    )
    blocks.append({"type": "section", "fields": [mrkdwn(given), mrkdwn(received)]})
    blocks.append(section(t(lang, "ledger.top_helpers", people=_counts(ledger.top_helpers, lang))))
    blocks.append(section(t(lang, "ledger.top_helped", people=_counts(ledger.top_helped, lang))))
    blocks.append(context(t(lang, "ledger.private")))
    text = f"{title}: {given}"
    return text.replace("\n", " "), blocks


def help_view(lang: str = "en", unknown: str | None = None) -> tuple[str, Blocks]:
    blocks: Blocks = []
    if unknown:
        blocks.append(section(t(lang, "help.unknown", text=unknown[:100].replace("`", "'"))))
    blocks += [
        header(t(lang, "help.title")),
        section(t(lang, "help.body")),
        section(t(lang, "help.commands")),
        section(t(lang, "help.insights")),
        section(t(lang, "help.favours")),
        section(t(lang, "help.nudges")),
    ]
    return t(lang, "help.body"), blocks


def _counts(counts: list[PersonCount], lang: str) -> str:
    if not counts:
        return t(lang, "ledger.nobody")
    return "\n".join(f"• {mention(c.user_id)} ×{c.count}" for c in counts)
