"""The submitted ``/giveback config`` modal as settings, or per-field errors (pure).

A field whose block is absent from the submission keeps its current value: a modal opened
before an upgrade added fields still saves, and never resets what it did not show.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from bot.domain.settings import POLICIES, WorkspaceSettings
from bot.i18n.catalog import t
from bot.views.settings_form import ANNOUNCE_MODES, MAX_EMOJI, NUMBERS, OFF, ON, VALUE

Values = dict[str, dict[str, dict[str, Any]]]

# People paste ":raised_hands::skin-tone-2: :pray:" from Slack, or type "raised_hands, pray".
_SKIN_TONE = re.compile(r"::skin-tone-\d")
_SEPARATORS = re.compile(r"[\s,、，:：]+")
# Slack's standard names are [a-z0-9_+'-]; \w (Unicode) also admits custom emoji named in
# other scripts. A name that matches no emoji is harmless: no reaction ever carries it.
_EMOJI_NAME = re.compile(r"[\w+'-]{1,100}")


def parse_emoji(raw: str | None, lang: str) -> tuple[tuple[str, ...], str | None]:
    """Emoji names from what an admin typed, in order, without duplicates; or an error."""
    text = _SKIN_TONE.sub("", raw or "").lower()
    names: list[str] = []
    for word in _SEPARATORS.split(text):
        if not word or word in names:
            continue
        if not _EMOJI_NAME.fullmatch(word):
            shown = word if len(word) <= 30 else word[:29] + "…"
            return (), t(lang, "config.error.emoji_name", name=shown)
        names.append(word)
    if len(names) > MAX_EMOJI:
        return (), t(lang, "config.error.emoji_count", max=MAX_EMOJI)
    return tuple(names), None


def parse_settings(
    values: Values, current: WorkspaceSettings, lang: str
) -> tuple[WorkspaceSettings | None, dict[str, str]]:
    """The submitted form as settings, or errors keyed by block id (Slack shows them inline)."""
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}

    def field(block_id: str) -> dict[str, Any]:
        return values.get(block_id, {}).get(VALUE, {}) or {}

    def selected(block_id: str) -> str | None:
        value = (field(block_id).get("selected_option") or {}).get("value")
        return None if value is None else str(value)

    for block_id, (low, high) in NUMBERS.items():
        if block_id not in values:
            continue
        raw = str(field(block_id).get("value") or "").strip()
        if raw.lstrip("-").isdigit() and low <= int(raw) <= high:
            changes[block_id] = int(raw)
        else:
            errors[block_id] = t(lang, "config.error.number", low=low, high=high)

    if selected("policy") in POLICIES:
        changes["policy"] = selected("policy")
    if selected("announce") in ANNOUNCE_MODES:
        changes["announce"] = selected("announce")
    if selected("leaderboard") in (ON, OFF):
        changes["leaderboard"] = selected("leaderboard") == ON

    if "nudge_weekdays" in values:
        options = field("nudge_weekdays").get("selected_options") or []
        days = sorted({int(o["value"]) for o in options if str(o.get("value")).isdigit()})
        days = [d for d in days if d < 7]
        if days:
            changes["nudge_weekdays"] = tuple(days)
        else:
            errors["nudge_weekdays"] = t(lang, "config.error.weekdays")
    start = _as_int(selected("nudge_start_hour"), current.nudge_start_hour)
    end = _as_int(selected("nudge_end_hour"), current.nudge_end_hour)
    if not 0 <= start < end <= 24:
        errors["nudge_end_hour"] = t(lang, "config.error.hours")
    changes["nudge_start_hour"], changes["nudge_end_hour"] = start, end

    if "reaction_emoji" in values:
        emoji, error = parse_emoji(field("reaction_emoji").get("value"), lang)
        if error:
            errors["reaction_emoji"] = error
        else:
            changes["reaction_emoji"] = emoji
    if "digest_channel" in values:
        changes["digest_channel"] = field("digest_channel").get("selected_conversation") or None
    if "language" in values:
        language = selected("language")
        changes["language"] = language if language in ("en", "ja") else None

    if errors:
        return None, errors
    return dataclasses.replace(current, **changes), {}


def _as_int(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.isdigit() else default
