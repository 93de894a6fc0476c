"""What you can type at the playground prompt, parsed into commands (pure, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.devtools.playground.clock import parse_duration

LAST = -1  # `on last`: the latest numbered message


@dataclass(frozen=True)
class Slash:
    command: str  # "/thanks"
    text: str


@dataclass(frozen=True)
class Say:
    text: str  # posted in the channel; `@giveback …` makes it a mention


@dataclass(frozen=True)
class React:
    emoji: str  # "raised_hands"
    message: int  # or LAST


@dataclass(frozen=True)
class Press:
    button: int | str  # its number, or (part of) its label
    message: int | None = None  # None: the latest message with buttons; or LAST


@dataclass(frozen=True)
class Shortcut:
    callback_id: str
    message: int | None = None  # None: a global shortcut; or LAST


@dataclass(frozen=True)
class Become:
    name: str


@dataclass(frozen=True)
class Home:
    pass


@dataclass(frozen=True)
class Time:
    delta: timedelta | None  # None: just tell the time


@dataclass(frozen=True)
class Fill:
    field: int
    value: str


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class Close:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Quit:
    pass


@dataclass(frozen=True)
class Comment:
    text: str  # narration in a script ("# …"), or "" for a blank line


@dataclass(frozen=True)
class Invalid:
    reason: str


Command = (
    Slash
    | Say
    | React
    | Press
    | Shortcut
    | Become
    | Home
    | Time
    | Fill
    | Submit
    | Close
    | Help
    | Quit
    | Comment
    | Invalid
)

_SLASH = re.compile(r"/([a-z0-9][a-z0-9_-]{0,31})(?:\s+(.*))?", re.S | re.I)
_ON = r"\s+on\s+(#?\d+|last)"
_REACT = re.compile(r"(?:react\s+)?:([a-z0-9_+'-]+):" + _ON)
_PRESS = re.compile(r"press\s+(.+?)(?:" + _ON + ")?")
_SHORTCUT = re.compile(r"shortcut\s+([A-Za-z0-9_.:-]+)(?:" + _ON + ")?")
_FILL = re.compile(r"fill\s+(\d+)\s+(.+)", re.S)
_WORDS: dict[str, Command] = {
    "help": Help(),
    "?": Help(),
    "quit": Quit(),
    "exit": Quit(),
    "home": Home(),
}
_WORDS |= {"submit": Submit(), "close": Close(), "cancel": Close()}
_ONE = Invalid("buttons and fields are numbered from 1")


def parse(line: str) -> tuple[Command, bool]:
    """Parse one line; the flag says it was marked optional with a leading ``?``."""
    line = line.strip()
    optional = line.startswith("? ")
    return parse_command(line[2:] if optional else line), optional


def parse_command(line: str) -> Command:
    line = line.strip()
    lower = line.lower()
    if not line or line.startswith("#"):
        return Comment(line[1:].strip() if line else "")
    if lower in _WORDS:
        return _WORDS[lower]
    if line.startswith("/"):
        if m := _SLASH.fullmatch(line):
            return Slash("/" + m.group(1).lower(), (m.group(2) or "").strip())
        return Invalid(f"`{line.split()[0]}` is not a slash command name")
    if lower.startswith("@giveback"):
        return Say(line)
    if lower.startswith("say ") or lower == "say":
        text = line[4:].strip()
        return Say(text) if text else Invalid("say what? For example: `say the build is green`")
    if lower.startswith("as ") or lower == "as":
        name = line[3:].strip().lstrip("@")
        return (
            Become(name) if name and " " not in name else Invalid("as whom? For example: `as bob`")
        )
    if lower == "time" or lower.startswith("time "):
        return _time(line[4:].strip())
    if m := _REACT.fullmatch(lower):
        return React(m.group(1), _number(m.group(2)) or LAST)
    if m := _PRESS.fullmatch(lower):
        button = m.group(1).strip().strip("[]\"'")
        if button.isdigit():
            return Press(int(button), _number(m.group(2))) if int(button) else _ONE
        return Press(button, _number(m.group(2))) if button else Invalid(_hint("press"))
    if m := _SHORTCUT.fullmatch(line):
        return Shortcut(m.group(1), _number(m.group(2)))
    if m := _FILL.fullmatch(line):
        return Fill(int(m.group(1)), m.group(2).strip()) if int(m.group(1)) else _ONE
    return Invalid(_hint(lower))


def _time(arg: str) -> Command:
    if not arg:
        return Time(None)
    delta = parse_duration(arg)
    if delta is None:
        return Invalid(f"`{arg}` is not a time step; try `time +7d`, `time +3h` or `time +30m`")
    return Time(delta)


def message_name(number: int) -> str:
    return "the latest message" if number == LAST else f"message #{number}"


def no_such_message(number: int) -> str:
    return "There are no messages yet." if number == LAST else f"There is no message #{number}."


def _number(raw: str | None) -> int | None:
    """``3`` / ``#3`` → 3, ``last`` → LAST, nothing → None."""
    if not raw:
        return None
    return LAST if raw.lower() == "last" else int(raw.lstrip("#"))


def _hint(lower: str) -> str:
    first = lower.split()[0]
    if first == "press":
        return "press which button? For example: `press 1` (buttons are numbered [1], [2], …)"
    if first == "fill":
        return "fill which field with what? For example: `fill 1 the deploy keys`"
    if first.startswith(":"):
        return "react to which message? For example: `:raised_hands: on 3`"
    if first == "shortcut":
        return "which shortcut? For example: `shortcut thank_author on 3`"
    if first in ("thanks", "ask", "giveback"):
        return f"did you mean `/{lower}` or `@giveback {lower}`?"
    return f"I don't understand `{lower[:60]}`"
