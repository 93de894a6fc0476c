"""The ``/giveback config`` modal, pure: settings in, a view out; submitted values in, settings
(or per-field errors) out."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.catalog import t
from bot.preferences import POLICIES, WorkspaceSettings

CALLBACK_ID = "giveback_config"
VALUE = "value"  # every input's action_id
NUMBERS = {  # block id -> (low, high)
    "threshold": (1, 100),
    "window_days": (7, 365),
    "cooldown_days": (1, 90),
}
LANGUAGE_DEFAULT = "default"


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:75], "emoji": True}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _text(label), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
    block = {"type": "input", "block_id": block_id, "label": _text(label), "element": element}
    block.update({k: _text(v) if k == "hint" else v for k, v in extra.items()})
    return block


def _number(value: int, low: int, high: int) -> dict[str, Any]:
    return {
        "type": "number_input",
        "action_id": VALUE,
        "is_decimal_allowed": False,
        "initial_value": str(value),
        "min_value": str(low),
        "max_value": str(high),
    }


def _number_input(
    block_id: str, key: str, settings: WorkspaceSettings, lang: str
) -> dict[str, Any]:
    """One of NUMBERS, labelled ``config.<key>`` with the hint ``config.<key>_hint``."""
    value = getattr(settings, block_id)
    return _input(
        block_id,
        t(lang, f"config.{key}"),
        _number(value, *NUMBERS[block_id]),
        hint=t(lang, f"config.{key}_hint"),
    )


def _select(options: list[dict[str, Any]], selected: str) -> dict[str, Any]:
    initial = next((o for o in options if o["value"] == selected), options[0])
    return {
        "type": "static_select",
        "action_id": VALUE,
        "options": options,
        "initial_option": initial,
    }


def _hours(first: int, last: int) -> list[dict[str, Any]]:
    return [_option(f"{h:02d}:00", str(h)) for h in range(first, last + 1)]


def settings_view(settings: WorkspaceSettings, lang: str) -> dict[str, Any]:
    days = [_option(t(lang, f"weekday.{d}"), str(d)) for d in range(7)]
    chosen = [o for o in days if int(o["value"]) in settings.nudge_weekdays]
    weekdays: dict[str, Any] = {"type": "checkboxes", "action_id": VALUE, "options": days}
    if chosen:
        weekdays["initial_options"] = chosen
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": VALUE,
        # Public channels: the bot reads the digest channel's history (channels:history)
        # to make sure a digest is never posted twice.
        "filter": {"include": ["public"], "exclude_bot_users": True},
    }
    if settings.digest_channel:
        channel["initial_conversation"] = settings.digest_channel
    languages = [
        _option(t(lang, "config.language.default"), LANGUAGE_DEFAULT),
        _option("English", "en"),
        _option("日本語", "ja"),
    ]
    policies = [_option(t(lang, f"config.policy.{p}"), p) for p in POLICIES]
    blocks = [
        _number_input("threshold", "threshold", settings, lang),
        _number_input("window_days", "window", settings, lang),
        _input("policy", t(lang, "config.policy"), _select(policies, settings.policy)),
        _input("nudge_weekdays", t(lang, "config.weekdays"), weekdays),
        _input(
            "nudge_start_hour",
            t(lang, "config.start_hour"),
            _select(_hours(0, 23), str(settings.nudge_start_hour)),
        ),
        _input(
            "nudge_end_hour",
            t(lang, "config.end_hour"),
            _select(_hours(1, 24), str(settings.nudge_end_hour)),
        ),
        _number_input("cooldown_days", "cooldown", settings, lang),
        _input(
            "digest_channel",
            t(lang, "config.digest_channel"),
            channel,
            optional=True,
            hint=t(lang, "config.digest_hint"),
        ),
        _input(
            "language",
            t(lang, "config.language"),
            _select(languages, settings.language or "default"),
        ),
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _text(t(lang, "config.title")[:24]),
        "submit": _text(t(lang, "config.submit")),
        "close": _text(t(lang, "config.cancel")),
        "blocks": blocks,
    }


def parse_settings(
    values: dict[str, dict[str, dict[str, Any]]], current: WorkspaceSettings, lang: str
) -> tuple[WorkspaceSettings | None, dict[str, str]]:
    """The submitted form as settings, or errors keyed by block id (Slack shows them inline)."""
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}

    def field(block_id: str) -> dict[str, Any]:
        return values.get(block_id, {}).get(VALUE, {}) or {}

    for block_id, (low, high) in NUMBERS.items():
        raw = str(field(block_id).get("value") or "").strip()
        if raw.lstrip("-").isdigit() and low <= int(raw) <= high:
            changes[block_id] = int(raw)
        else:
            errors[block_id] = t(lang, "config.error.number", low=low, high=high)
    policy = (field("policy").get("selected_option") or {}).get("value")
    changes["policy"] = policy if policy in POLICIES else current.policy
    days = sorted(
        {int(o["value"]) for o in field("nudge_weekdays").get("selected_options") or []}
        & set(range(7))
    )
    if days:
        changes["nudge_weekdays"] = tuple(days)
    else:
        errors["nudge_weekdays"] = t(lang, "config.error.weekdays")
    start = _selected_int(field("nudge_start_hour"), current.nudge_start_hour)
    end = _selected_int(field("nudge_end_hour"), current.nudge_end_hour)
    if not 0 <= start < end <= 24:
        errors["nudge_end_hour"] = t(lang, "config.error.hours")
    changes["nudge_start_hour"], changes["nudge_end_hour"] = start, end
    changes["digest_channel"] = field("digest_channel").get("selected_conversation") or None
    language = (field("language").get("selected_option") or {}).get("value")
    changes["language"] = language if language in ("en", "ja") else None
    if errors:
        return None, errors
    return dataclasses.replace(current, **changes), {}


def _selected_int(field: dict[str, Any], default: int) -> int:
    value = (field.get("selected_option") or {}).get("value")
    return int(value) if value is not None and str(value).isdigit() else default
