"""Block Kit for what a person sees of their own help: what they did, their network, the
leaderboard, help, and forgetting (pure)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.network import Breadth, Counterpart
from bot.domain.records import Ledger, PersonCount
from bot.i18n.catalog import t
from bot.i18n.localize import format_date
from bot.views import ids
from bot.views.blocks import (
    Blocks,
    actions,
    button,
    colleagues,
    context,
    fields,
    header,
    section,
    times,
)


def counts_fields(ledger: Ledger, window_days: int, lang: str) -> tuple[str, str]:
    """What the person did ("You helped 5 colleagues in the last 90 days") and who was there
    for them: deeds, never a balance to settle."""
    given = _deeds(
        lang,
        "ledger.given",
        people=ledger.colleagues_helped,
        recent=ledger.given_recent,
        total=ledger.given_total,
        days=window_days,
    )
    received = _deeds(
        lang,
        "ledger.received",
        people=ledger.colleagues_helping,
        recent=ledger.received_recent,
        total=ledger.received_total,
        days=window_days,
    )
    return given, received


def _deeds(lang: str, key: str, *, people: int, recent: int, total: int, days: int) -> str:
    """One side of the counts: ``{key}_none`` before any help; all time only when it differs."""
    if not total:
        return t(lang, f"{key}_none")
    text = t(
        lang,
        key,
        colleagues=colleagues(lang, people),
        recent=times(lang, recent),
        days=days,
    )
    if total > recent:
        text += "\n" + t(lang, "ledger.since_start", total=times(lang, total))
    return text


def favour_lines(ledger: Ledger, window_days: int, lang: str) -> list[str]:
    """Their offers and asks in the window, in one sentence; none when there were none."""
    offers, asks = ledger.offers_recent, ledger.asks_recent
    if offers and asks:
        both = {"offers": times(lang, offers), "asks": times(lang, asks)}
        return [t(lang, "ledger.favours", days=window_days, **both)]
    if offers or asks:
        key = "ledger.offers" if offers else "ledger.asks"
        return [t(lang, key, times=times(lang, offers or asks), days=window_days)]
    return []


def ledger_view(ledger: Ledger, window_days: int, lang: str = "en") -> tuple[str, Blocks]:
    """``/giveback``: what the person did, privately."""
    title = t(lang, "ledger.title")
    blocks: Blocks = [header(title)]
    favours = favour_lines(ledger, window_days, lang)
    if not (ledger.given_total or ledger.received_total or favours):
        blocks.append(section(t(lang, "ledger.empty")))
        return title, blocks
    given, received = counts_fields(ledger, window_days, lang)
    blocks.append(fields(given, received))
    if favours:
        blocks.append(section(" ".join(favours)))
    blocks.append(section(t(lang, "ledger.top_helpers", people=_counts(ledger.top_helpers, lang))))
    blocks.append(section(t(lang, "ledger.top_helped", people=_counts(ledger.top_helped, lang))))
    blocks.append(context(t(lang, "ledger.private")))
    text = f"{title}: {given}"
    return text.replace("\n", " "), blocks


def _counts(counts: list[PersonCount], lang: str) -> str:
    if not counts:
        return t(lang, "ledger.nobody")
    return "\n".join(
        t(lang, "ledger.person", user=c.user_id, times=times(lang, c.count)) for c in counts
    )


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
        section(t(lang, "help.more")),
    ]
    return t(lang, "help.body"), blocks


def _date(moment: datetime | None, lang: str, tz: str | None, now: datetime) -> str:
    return format_date(moment, lang, tz, now) if moment else "-"


def list_section(lang: str, title_key: str, lines: list[str], empty_key: str) -> dict[str, Any]:
    """A title, then one line per item, or the ``empty_key`` line when there are none."""
    return section(t(lang, title_key) + "\n" + "\n".join(lines or [t(lang, empty_key)]))


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
        list_section(lang, "home.network_title", network_lines, "home.network_empty"),
        list_section(lang, "home.thank_back_title", thank_back_lines, "home.thank_back_empty"),
    ]


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


def leaderboard(rows: list[Breadth], period: str, lang: str) -> tuple[str, Blocks]:
    """Only positive news, only givers: breadth, then recency (already ranked)."""
    title = t(lang, f"top.title_{period}")
    if not rows:
        body = t(lang, "top.empty")
    else:
        body = "\n".join(
            t(
                lang,
                "top.item",
                rank=rank,
                user=row.user_id,
                colleagues=colleagues(lang, row.colleagues),
                times=times(lang, row.events),
            )
            for rank, row in enumerate(rows, start=1)
        )
    return title, [header(title), section(body), context(t(lang, "top.footer"))]


def forget_confirmation(lang: str) -> tuple[str, Blocks]:
    text = t(lang, "forget.confirm")
    confirm = button(t(lang, "forget.confirm_button"), ids.FORGET_CONFIRM, "me", style="danger")
    cancel = button(t(lang, "forget.cancel_button"), ids.FORGET_CANCEL, "me")
    return text, [section(text), actions(ids.FORGET_BLOCK, confirm, cancel)]
