"""The playground in a terminal: an interactive prompt, or a script turned into a transcript."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.text import Text

from bot.devtools.playground import grammar
from bot.devtools.playground.blocks import Line
from bot.devtools.playground.clock import SCHEDULER_HOOKS, FakeClock, SchedulerHook
from bot.devtools.playground.session import Playground
from bot.devtools.playground.world import CHANNEL_NAME, PEOPLE

SETUP_HINT = 'the "Slack setup" section of README.md'


@dataclass
class Transcript:
    text: str = ""
    skipped: list[str] = field(default_factory=list)  # optional lines the app cannot do yet
    not_understood: list[str] = field(default_factory=list)


def banner_missing_credentials() -> str:
    """What `make run` says on a machine with no Slack credentials, before the playground."""
    return "\n".join(
        [
            "┌─ giveback: no Slack credentials ────────────────────────────────────────",
            "│ SLACK_BOT_TOKEN is not set, neither in the environment nor in .env.",
            "│ To connect a real workspace, create a Slack app and put its tokens in .env:",
            "│ SLACK_BOT_TOKEN, plus SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode).",
            f"│ How: {SETUP_HINT}.",
            "│ Until then, here is the playground: the real bot, with a stand-in for Slack",
            "│ on this machine. Nothing goes over the network; `giveback run` stays strict.",
            "└─────────────────────────────────────────────────────────────────────────",
        ]
    )


def plain(lines: Iterable[Line]) -> str:
    return "".join(line.text.rstrip() + "\n" for line in lines)


async def run_script(
    script: Iterable[str],
    *,
    database: str,
    start: datetime | None = None,
    hooks: Sequence[SchedulerHook] | None = None,
) -> Transcript:
    """Run each line as typed and return the plain-text transcript (no colours).

    A script is made of sections: comment lines and the lines that follow them. A section
    with a ``?`` line the app cannot do (yet) is left out of the transcript as a whole, so
    a tour written for every feature reads well on a build that has only some of them.
    """
    out = Transcript()
    chunks: list[str] = []
    section: list[str] = []
    section_ok = True
    clock = FakeClock(start) if start else None
    async with Playground(database=database, clock=clock, hooks=_hooks(hooks)) as pg:
        previous_was_command = False
        for raw in script:
            line = raw.rstrip("\n")
            command, optional = grammar.parse(line)
            if isinstance(command, grammar.Comment):
                if previous_was_command or not line.strip():
                    chunks += section if section_ok else []
                    section, section_ok = [], True
                section.append(line.strip() + "\n")
                previous_was_command = False
                continue
            previous_was_command = True
            prompt = f"{pg.user.name}> {line.strip().removeprefix('? ')}\n"
            outcome = await pg.run(line)
            if isinstance(command, grammar.Invalid):
                out.not_understood.append(line)
            if optional and (outcome.failed or not outcome.supported):
                out.skipped.append(line)
                section_ok = False
            section.append(prompt + plain(outcome.lines))
            if outcome.quit:
                break
    chunks += section if section_ok else []
    out.text = "".join(chunks)
    return out


async def run_interactive(*, database: str, start: datetime | None, console: Console) -> None:
    reader = _LineReader(asyncio.get_running_loop())
    clock = FakeClock(start) if start else None
    async with Playground(database=database, clock=clock, hooks=_hooks(None)) as pg:
        _show(console, _welcome())
        while True:
            line = await reader.read(f"{pg.user.name}> ")
            if line is None:
                break
            outcome = await pg.run(line)
            _show(console, outcome.lines)
            if outcome.quit:
                break


def main(
    *,
    database: str | None,
    script: str | None,
    start: datetime | None,
    verbose: bool,
    stdout: TextIO | None = None,
) -> int:
    """``giveback playground``: 0 when done, 2 for a script that cannot be read."""
    stdout = stdout or sys.stdout
    lines: list[str] | None = None
    if script is not None:
        try:
            lines = Path(script).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"giveback: cannot read the script {script}: {exc}", file=sys.stderr)
            return 2
    with (
        tempfile.TemporaryDirectory(prefix="giveback-playground-") as scratch,
        _logging_to(None if verbose else Path(scratch) / "playground.log"),
    ):
        db = database or str(Path(scratch) / "playground.db")
        try:
            sqlite3.connect(db).close()  # fail early and plainly on a path we cannot use
            if lines is not None:
                transcript = asyncio.run(run_script(lines, database=db, start=start))
                stdout.write(transcript.text)
                return 0
            console = Console(file=stdout, highlight=False, soft_wrap=True)
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(run_interactive(database=db, start=start, console=console))
        except (OSError, sqlite3.Error) as exc:  # the database could not be opened
            print(f"giveback: cannot use the database {db}: {exc}", file=sys.stderr)
            return 2
    return 0


def _hooks(hooks: Sequence[SchedulerHook] | None) -> list[SchedulerHook]:
    return list(SCHEDULER_HOOKS if hooks is None else hooks)


def _welcome() -> list[Line]:
    people = ", ".join(p.name for p in PEOPLE[1:])
    return [
        Line("giveback playground: the real bot, a stand-in Slack, no workspace needed.", "bold"),
        Line(f"You are {PEOPLE[0].name} in #{CHANNEL_NAME}, with {people}."),
        Line("Try `/thanks @bob for the review`, then `as bob` and `/giveback`. `help` lists all."),
    ]


def _show(console: Console, lines: list[Line]) -> None:
    for line in lines:
        console.print(Text(line.text, style=line.style or ""))


@contextlib.contextmanager
def _logging_to(path: Path | None) -> Iterator[None]:
    """Logs go to a file so they never interleave with the conversation (stderr if verbose)."""
    handler: logging.Handler = logging.FileHandler(path) if path else logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        handler.close()


class _LineReader:
    """``input()`` on a daemon thread, so the app keeps running and Ctrl-C exits at once."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._requests: queue.Queue[tuple[str, asyncio.Future[str | None]]] = queue.Queue()
        threading.Thread(target=self._run, daemon=True, name="playground-input").start()

    async def read(self, prompt: str) -> str | None:
        future: asyncio.Future[str | None] = self._loop.create_future()
        self._requests.put((prompt, future))
        return await future

    def _run(self) -> None:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        while True:
            prompt, future = self._requests.get()
            try:
                line: str | None = input(prompt)
            except (EOFError, OSError):  # end of input, or no usable stdin
                line = None
            self._loop.call_soon_threadsafe(_resolve, future, line)


def _resolve(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)
