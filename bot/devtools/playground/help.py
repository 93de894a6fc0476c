"""The playground's own help: its grammar, with examples, and who is here."""

from __future__ import annotations

from bot.devtools.playground.blocks import Line
from bot.devtools.playground.world import CHANNEL_NAME, PEOPLE, Person

GRAMMAR: tuple[tuple[str, str], ...] = (
    ("/thanks @bob for the review", "any slash command, as the current person"),
    ("/ask how do I rotate the keys?", "(also /giveback, /giveback help, …)"),
    ("@giveback thanks @carol", "a channel message mentioning the bot"),
    ("say the build is green", "a plain channel message"),
    (":raised_hands: on 3", "react to message #3 (`on last`: the latest one outside threads)"),
    ("press 2", "press button [2] of the latest message with buttons"),
    ("press 1 on 4", "press button [1] of message #4"),
    ("shortcut CALLBACK_ID on 3", "run a message shortcut on #3 (without `on`: global)"),
    ("fill 1 some text", "type into field (1) of the open modal"),
    ("submit / close", "submit or close the open modal"),
    ("as bob", "become someone else"),
    ("home", "open your App Home"),
    ("time +7d", "move the clock (also +3h, +30m, +2w); scheduled jobs run on the way"),
    ("time", "what time it is"),
    ("help / quit", "this help / leave"),
)


def help_lines(current: Person | None = None) -> list[Line]:
    width = max(len(example) for example, _ in GRAMMAR)
    lines = [Line("  You can type:", "bold")]
    lines += [Line(f"    {example:<{width}}  {what}") for example, what in GRAMMAR]
    people = ", ".join(p.name + (" (admin)" if p.is_admin else "") for p in PEOPLE)
    lines.append(
        Line(f"  People in #{CHANNEL_NAME}: {people}. Type @name to mention someone.", "dim")
    )
    if current is not None:
        lines.append(Line(f"  You are {current.name}.", "dim"))
    return lines
