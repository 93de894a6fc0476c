"""The seeded workspace: a few people, one channel, and Slack's escaping of what they type."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.devtools.fakeslack import FakeSlack

TEAM = "T0001"
CHANNEL, CHANNEL_NAME = "C0001", "general"
BOT_ID, BOT_NAME = "UBOT", "giveback"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    real_name: str
    tz: str
    locale: str = "en-US"
    is_admin: bool = False
    is_bot: bool = False


PEOPLE: tuple[Person, ...] = (
    Person("UALICE", "alice", "Alice Archer", "America/New_York"),
    Person("UBOB", "bob", "Bob Baker", "Europe/London"),
    Person("UCAROL", "carol", "Carol Chen", "Asia/Singapore"),
    Person("UDAVE", "dave", "Dave Diaz", "America/Los_Angeles"),
    Person("UERIN", "erin", "Erin Evans", "Europe/Berlin", is_admin=True),
    Person("UKENJI", "kenji", "Kenji Sato", "Asia/Tokyo", locale="ja-JP"),
)
OTHER_BOTS: tuple[Person, ...] = (
    Person("UDEPLOYBOT", "deploybot", "Deploy Bot", "UTC", is_bot=True),
)
# `@name` typed at the prompt: a person, another bot, or giveback itself.
_NAMES = {p.name: p.id for p in PEOPLE + OTHER_BOTS} | {BOT_NAME: BOT_ID}
_IDS = {user_id: name for name, user_id in _NAMES.items()}
_TYPED_MENTION = re.compile(r"(?<![<\w@])@([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)")
_TYPED_CHANNEL = re.compile(r"(?<![<\w])#" + CHANNEL_NAME + r"\b")
_SLACK_LINK = re.compile(r"<([@#!])?([^<>|]+)(?:\|([^<>]*))?>")


def person(name: str) -> Person | None:
    name = name.strip().lstrip("@").lower()
    return next((p for p in PEOPLE if p.name == name), None)


def name_of(user_id: str) -> str:
    return _IDS.get(user_id, user_id)


def seed(fake: FakeSlack) -> None:
    for p in PEOPLE + OTHER_BOTS:
        fake.add_user(
            p.id,
            p.name,
            real_name=p.real_name,
            tz=p.tz,
            locale=p.locale,
            is_admin=p.is_admin,
            is_bot=p.is_bot,
        )


def escape(text: str, *, labelled: bool) -> str:
    """Turn typed ``@bob`` / ``#general`` into Slack's ``<@UBOB|bob>`` / ``<#C0001|general>``.

    Slash commands (with ``should_escape``) carry the ``|name`` label; message events do not.
    An ``@name`` nobody has stays plain text, as it would in Slack.
    """

    def user(match: re.Match[str]) -> str:
        user_id = _NAMES.get(match.group(1).lower())
        if user_id is None:
            return match.group(0)
        return f"<@{user_id}|{match.group(1).lower()}>" if labelled else f"<@{user_id}>"

    text = _TYPED_MENTION.sub(user, text)
    return _TYPED_CHANNEL.sub(f"<#{CHANNEL}|{CHANNEL_NAME}>" if labelled else f"<#{CHANNEL}>", text)


def unescape(text: str) -> str:
    """Slack's message syntax back to what a person would see: ``<@UBOB>`` → ``@bob``."""

    def link(match: re.Match[str]) -> str:
        sigil, target, label = match.groups()
        if sigil == "@":
            return "@" + (name_of(target) if target in _IDS else label or target)
        if sigil == "#":
            return "#" + (label or (CHANNEL_NAME if target == CHANNEL else target))
        if sigil == "!":
            return "@" + (label or target.split("^")[0]).lstrip("@")
        return f"{label} ({target})" if label else target

    return html.unescape(_SLACK_LINK.sub(link, text))
