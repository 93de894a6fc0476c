"""What one typed line produced, and the small notes the playground adds of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.devtools.playground.blocks import Line
from bot.devtools.simulate import Reply


@dataclass
class Outcome:
    """Lines to show. ``supported`` is False when the app has no such feature (yet);
    ``failed`` when the line could not be done (nothing to press, no such person...)."""

    lines: list[Line] = field(default_factory=list)
    supported: bool = True
    quit: bool = False
    failed: bool = False


def note(text: str) -> Line:
    return Line("  " + text, "dim")


def problem(text: str) -> Outcome:
    lines = [Line("  " + text, "red"), note("Type `help` to see what you can do.")]
    return Outcome(lines, failed=True)


def unsupported(text: str, lines: list[Line] | None = None) -> Outcome:
    return Outcome([*(lines or []), note(text)], supported=False)


def status_note(reply: Reply) -> list[Line]:
    if reply.status == 200:
        return []
    return [Line(f"  (the app answered HTTP {reply.status})", "red")]


def body_of(reply: Reply) -> Any:
    """The JSON the app answered with; a plain-text answer as ``{"text": ...}``."""
    try:
        return reply.json()
    except ValueError:
        return {"text": reply.text}
