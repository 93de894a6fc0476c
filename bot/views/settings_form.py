"""The ``/giveback config`` modal, pure: settings in, a view out (parsing: bot.views.settings_parse).

Four sections, each a header and its inputs: give first, nudges, thanks, visibility. Every
input's block id is the WorkspaceSettings field it edits, so Slack's per-field errors land on
the right input.
"""

from __future__ import annotations

from typing import Any

from bot.domain.announce import CHANNEL, PRIVATE, THREAD
from bot.domain.settings import POLICIES, WorkspaceSettings
from bot.i18n.catalog import t
from bot.views import ids

VALUE = ids.CONFIG_VALUE  # every input's action_id; each block_id is the setting's name
NUMBERS = {  # block id -> (low, high)
    "threshold": (1, 100),
    "window_days": (7, 365),
    "cooldown_days": (1, 90),
    "newcomer_events": (0, 50),
    "busy_asks": (1, 20),
    "daily_pair_cap": (1, 20),
}
NUMBER_KEYS = {  # block id -> catalogue key: config.<key> (label), config.<key>_hint
    "threshold": "threshold",
    "window_days": "window",
    "cooldown_days": "cooldown",
    "newcomer_events": "newcomer",
    "busy_asks": "busy",
    "daily_pair_cap": "pair_cap",
}
ANNOUNCE_MODES = (CHANNEL, THREAD, PRIVATE)
ON, OFF = "on", "off"
LANGUAGE_DEFAULT = "default"
MAX_EMOJI = 5
EMOJI_INPUT_LENGTH = 300
OPTION_LIMIT = 75  # option text and description (Block Kit)
LABEL_LIMIT = 2000  # input labels and hints


def _text(text: str, limit: int = OPTION_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def _option(label: str, value: str, description: str | None = None) -> dict[str, Any]:
    option = {"text": _text(label), "value": value}
    if description:
        option["description"] = _text(description)
    return option


def _header(key: str, lang: str) -> dict[str, Any]:
    return {"type": "header", "text": _text(t(lang, f"config.section.{key}"), 150)}


def _input(block_id: str, label: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": _text(label, LABEL_LIMIT),
        "element": element,
    }
    block.update({k: _text(v, LABEL_LIMIT) if k == "hint" else v for k, v in extra.items()})
    return block


def _number_input(block_id: str, settings: WorkspaceSettings, lang: str) -> dict[str, Any]:
    """One of NUMBERS, labelled ``config.<key>`` with the hint ``config.<key>_hint``."""
    low, high = NUMBERS[block_id]
    # A value stored out of range (by hand, or before the range existed) opens clamped:
    # Slack refuses a number input whose initial value lies outside its bounds.
    value = min(max(getattr(settings, block_id), low), high)
    key = NUMBER_KEYS[block_id]
    element = {
        "type": "number_input",
        "action_id": VALUE,
        "is_decimal_allowed": False,
        "initial_value": str(value),
        "min_value": str(low),
        "max_value": str(high),
    }
    return _input(block_id, t(lang, f"config.{key}"), element, hint=t(lang, f"config.{key}_hint"))


def _chosen(kind: str, options: list[dict[str, Any]], selected: str) -> dict[str, Any]:
    """A static select or radio buttons with ``selected`` (else the first option) chosen."""
    initial = next((o for o in options if o["value"] == selected), options[0])
    return {"type": kind, "action_id": VALUE, "options": options, "initial_option": initial}


def _hours(first: int, last: int) -> list[dict[str, Any]]:
    return [_option(f"{h:02d}:00", str(h)) for h in range(first, last + 1)]


def _give_first(settings: WorkspaceSettings, lang: str) -> list[dict[str, Any]]:
    policies = [_option(t(lang, f"config.policy.{p}"), p) for p in POLICIES]
    return [
        _header("give_first", lang),
        _input(
            "policy", t(lang, "config.policy"), _chosen("static_select", policies, settings.policy)
        ),
        _number_input("threshold", settings, lang),
        _number_input("window_days", settings, lang),
        _number_input("newcomer_events", settings, lang),
        _number_input("busy_asks", settings, lang),
    ]


def _nudges(settings: WorkspaceSettings, lang: str) -> list[dict[str, Any]]:
    days = [_option(t(lang, f"weekday.{d}"), str(d)) for d in range(7)]
    chosen = [o for o in days if int(o["value"]) in settings.nudge_weekdays]
    weekdays: dict[str, Any] = {"type": "checkboxes", "action_id": VALUE, "options": days}
    if chosen:
        weekdays["initial_options"] = chosen
    start = _chosen("static_select", _hours(0, 23), str(settings.nudge_start_hour))
    end = _chosen("static_select", _hours(1, 24), str(settings.nudge_end_hour))
    return [
        _header("nudges", lang),
        _input("nudge_weekdays", t(lang, "config.weekdays"), weekdays),
        _input("nudge_start_hour", t(lang, "config.start_hour"), start),
        _input("nudge_end_hour", t(lang, "config.end_hour"), end),
        _number_input("cooldown_days", settings, lang),
    ]


def _thanks(settings: WorkspaceSettings, lang: str) -> list[dict[str, Any]]:
    modes = [
        _option(t(lang, f"config.announce.{m}"), m, t(lang, f"config.announce.{m}_desc"))
        for m in ANNOUNCE_MODES
    ]
    emoji: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": VALUE,
        "max_length": EMOJI_INPUT_LENGTH,
        "placeholder": _text(t(lang, "config.emoji_placeholder"), 150),
    }
    if settings.reaction_emoji:
        emoji["initial_value"] = " ".join(settings.reaction_emoji)[:EMOJI_INPUT_LENGTH]
    return [
        _header("thanks", lang),
        _input(
            "announce",
            t(lang, "config.announce"),
            _chosen("radio_buttons", modes, settings.announce),
        ),
        _input(
            "reaction_emoji",
            t(lang, "config.emoji"),
            emoji,
            optional=True,
            hint=t(lang, "config.emoji_hint", max=MAX_EMOJI),
        ),
        _number_input("daily_pair_cap", settings, lang),
    ]


def _visibility(settings: WorkspaceSettings, lang: str) -> list[dict[str, Any]]:
    board = [_option(t(lang, f"config.leaderboard.{v}"), v) for v in (ON, OFF)]
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
    return [
        _header("visibility", lang),
        _input(
            "leaderboard",
            t(lang, "config.leaderboard"),
            _chosen("radio_buttons", board, ON if settings.leaderboard else OFF),
            hint=t(lang, "config.leaderboard_hint"),
        ),
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
            _chosen("static_select", languages, settings.language or LANGUAGE_DEFAULT),
            hint=t(lang, "config.language_hint"),
        ),
    ]


def settings_view(settings: WorkspaceSettings, lang: str) -> dict[str, Any]:
    blocks = [
        *_give_first(settings, lang),
        *_nudges(settings, lang),
        *_thanks(settings, lang),
        *_visibility(settings, lang),
    ]
    return {
        "type": "modal",
        "callback_id": ids.CONFIG_VIEW,
        "title": _text(t(lang, "config.title"), 24),
        "submit": _text(t(lang, "config.submit"), 24),
        "close": _text(t(lang, "config.cancel"), 24),
        "blocks": blocks,
    }


def saved_view(lang: str) -> dict[str, Any]:
    """What the modal turns into once the settings are saved: a confirmation to close."""
    return {
        "type": "modal",
        "title": _text(t(lang, "config.title"), 24),
        "close": _text(t(lang, "config.close"), 24),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": t(lang, "config.saved")}}
        ],
    }
