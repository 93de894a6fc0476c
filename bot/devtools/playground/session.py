"""The playground session: the real app on loopback, the fake Slack, and you as one person.

Every line you type becomes the signed request Slack would send (through ``SignedSender``,
so Bolt verifies signatures as in production); whatever the app then does in the fake
Slack is rendered by the feed once the app has finished working.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.devtools.fakeslack import FakeSlack
from bot.devtools.playground import grammar, interactions, payloads
from bot.devtools.playground.blocks import Line, emojize
from bot.devtools.playground.clock import SCHEDULER_EVERY, FakeClock, SchedulerHook, due_times
from bot.devtools.playground.feed import Feed, Shown
from bot.devtools.playground.help import help_lines
from bot.devtools.playground.outcome import (
    Outcome,
    body_of,
    note,
    problem,
    status_note,
    unsupported,
)
from bot.devtools.playground.world import (
    BOT_ID,
    CHANNEL,
    PEOPLE,
    TEAM,
    Person,
    escape,
    person,
    seed,
)
from bot.devtools.simulate import SignedSender
from bot.server import EVENTS_PATH, running
from bot.services.deps import Deps

log = logging.getLogger("giveback.playground")
SETTLE_TIMEOUT = 10.0


class Playground:
    def __init__(
        self,
        *,
        database: str,
        clock: FakeClock | None = None,
        hooks: Sequence[SchedulerHook] = (),
        every: timedelta = SCHEDULER_EVERY,
        language: str = "en",
    ) -> None:
        self.database, self.language = database, language
        self.clock = clock or FakeClock(datetime.now(UTC).replace(second=0, microsecond=0))
        self.hooks, self.every = list(hooks), every
        self.user: Person = PEOPLE[0]
        self.fake = FakeSlack(team_id=TEAM, bot_user_id=BOT_ID, clock=self.clock.epoch)
        self.feed = Feed(self.fake)
        self._stack = contextlib.AsyncExitStack()
        self._ids = itertools.count(1)
        self._baseline: set[asyncio.Task[Any]] = set()
        self.deps: Deps
        self.app: AsyncApp
        self.sender: SignedSender

    # ---- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> Playground:
        seed(self.fake)
        await self.fake.start()
        self._stack.push_async_callback(self.fake.stop)
        secret = secrets.token_hex(16)
        settings = Settings(
            bot_token="xoxb-playground",
            signing_secret=secret,
            slack_api_url=self.fake.api_url,
            database=self.database,
            port=0,
            language=self.language,
        )
        try:
            live = await self._stack.enter_async_context(
                running(settings, clock=self.clock, host="127.0.0.1")
            )
        except BaseException:
            await self._stack.aclose()
            raise
        self.deps, self.app = live.deps, live.app
        self.sender = SignedSender(
            f"http://127.0.0.1:{live.port}{EVENTS_PATH}",
            secret,
            team_id=TEAM,
            api_app_id=self.fake.app_id,
            keep_alive=False,
        )
        self._stack.push_async_callback(self.sender.close)
        self._baseline = set(asyncio.all_tasks())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    @property
    def client(self) -> AsyncWebClient:
        return self.app.client

    # ---- one line --------------------------------------------------------------------------

    async def run(self, line: str) -> Outcome:
        """Do what one line says; bad input and failures become a message, never a traceback."""
        command, _optional = grammar.parse(line)
        try:
            return await self.dispatch(command)
        except Exception as exc:
            log.exception("playground command failed: %r", line)
            return problem(f"That did not work: {type(exc).__name__}: {exc}")

    async def dispatch(self, command: grammar.Command) -> Outcome:
        match command:
            case grammar.Comment():
                return Outcome()
            case grammar.Invalid(reason):
                lines = [Line("  " + reason[0].upper() + reason[1:], "red"), *help_lines()]
                return Outcome(lines, failed=True)
            case grammar.Help():
                return Outcome(help_lines(self.user))
            case grammar.Quit():
                return Outcome(quit=True)
            case grammar.Become(name):
                return self.become(name)
            case grammar.Slash():
                return await self.slash(command)
            case grammar.Say(text):
                return await self.say(text)
            case grammar.React():
                return await self.react(command)
            case grammar.Time(delta):
                return await self.move_clock(delta)
        return await interactions.dispatch(self, command)

    def become(self, name: str) -> Outcome:
        found = person(name)
        if found is None:
            names = ", ".join(p.name for p in PEOPLE)
            return problem(f"There is nobody called `{name}` here. People: {names}.")
        self.user = found
        local = self.clock().astimezone(ZoneInfo(found.tz)).strftime("%a %H:%M")
        return Outcome(
            [note(f"You are {found.name} now ({found.real_name}, {found.tz}, {local}).")]
        )

    async def slash(self, command: grammar.Slash) -> Outcome:
        url = self.fake.response_url("cmd", channel=CHANNEL)
        self.feed.expect_replies(url, CHANNEL, self.user.id, None)
        reply = await self.sender.command(
            command.command,
            escape(command.text, labelled=True),
            user_id=self.user.id,
            channel_id=CHANNEL,
            response_url=url,
            trigger_id=self.trigger(),
        )
        if not reply.handled:
            return unsupported(f"giveback has no {command.command} command (yet).")
        lines = status_note(reply) + self.feed.ack(body_of(reply), CHANNEL, self.user.id)
        return Outcome(lines + await self.settle())

    async def say(self, typed: str) -> Outcome:
        text = escape(typed, labelled=False)
        posted = self.fake.add_message(CHANNEL, self.user.id, text)
        lines = self.feed.show(Shown("message", text, [], CHANNEL, posted["ts"], self.user.id))
        supported = True
        if f"<@{BOT_ID}>" in text:
            reply = await self.sender.event(
                payloads.mention_event(self.user, CHANNEL, text, posted["ts"])
            )
            supported, lines = reply.handled, lines + status_note(reply)
        # Slack also delivers the plain message event; not every app listens to it.
        await self.sender.event(payloads.message_event(self.user, CHANNEL, text, posted["ts"]))
        lines += await self.settle()
        if not supported:
            return unsupported("giveback does not answer mentions (yet).", lines)
        return Outcome(lines)

    async def react(self, command: grammar.React) -> Outcome:
        target = self.feed.message(command.message)
        if target is None or target.ts is None:
            return problem(grammar.no_such_message(command.message))
        stored = next(
            (m for m in self.fake.messages.get(target.channel or "", []) if m["ts"] == target.ts),
            None,
        )
        if stored is not None:
            reactions = stored.setdefault("reactions", [])
            entry = next((r for r in reactions if r["name"] == command.emoji), None)
            if entry is None:
                reactions.append({"name": command.emoji, "users": [self.user.id], "count": 1})
            elif self.user.id not in entry["users"]:
                entry["users"].append(self.user.id)
                entry["count"] += 1
        event = payloads.reaction_event(
            self.user, command.emoji, target.channel or CHANNEL, target.ts, target.author, self.ts()
        )
        reply = await self.sender.event(event)
        emoji = emojize(f":{command.emoji}:")
        lines = [note(f"{self.user.name} reacted {emoji} to #{target.number}")]
        if not reply.handled:
            return unsupported("giveback does not listen to reactions (yet).", lines)
        return Outcome(lines + status_note(reply) + await self.settle())

    async def move_clock(self, delta: timedelta | None) -> Outcome:
        start = self.clock()
        if delta is None:
            return Outcome([note(f"It is {_when(start)}.")])
        end = start + delta
        lines: list[Line] = []
        self.feed.stamp_times = True
        try:
            lines = await self._run_scheduled(start, end)
        finally:
            self.feed.stamp_times = False
        self.clock.now = end
        return Outcome([note(f"⏱  {_when(start)} → {_when(self.clock())}"), *lines])

    async def _run_scheduled(self, start: datetime, end: datetime) -> list[Line]:
        lines: list[Line] = []
        for moment in due_times(start, end, self.every) if self.hooks else []:
            self.clock.now = moment
            for hook in self.hooks:
                try:
                    await hook(self.deps, self.client, moment)
                except Exception as exc:
                    log.exception("scheduled job failed at %s", moment)
                    lines.append(Line(f"  A scheduled job failed: {exc}", "red"))
            lines += await self.settle()
        return lines

    # ---- plumbing --------------------------------------------------------------------------

    def trigger(self) -> str:
        trigger_id = f"{next(self._ids)}.{int(self.clock.epoch())}.playground"
        self.feed.expect_trigger(trigger_id, self.user.id)
        return trigger_id

    def ts(self) -> str:
        return f"{int(self.clock.epoch())}.{next(self._ids):06d}"

    async def settle(self) -> list[Line]:
        """Wait until the app has finished what it started (Bolt runs listeners after the ack),
        then render what it did."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT
        me, quiet_rounds = asyncio.current_task(), 0
        while quiet_rounds < 3:  # a few idle loop turns: callbacks may still start tasks
            busy = [
                t
                for t in asyncio.all_tasks()
                if t is not me and t not in self._baseline and not t.done() and not _idle_link(t)
            ]
            if not busy:
                quiet_rounds += 1
                await asyncio.sleep(0)
                continue
            quiet_rounds = 0
            if loop.time() >= deadline:
                return [*self.feed.collect(), note("(giveback is still working on that…)")]
            await asyncio.wait(busy, timeout=deadline - loop.time())
        return self.feed.collect()


def _idle_link(task: asyncio.Task[object]) -> bool:
    """An aiohttp server's handler of a kept-alive connection: the bot's HTTP session reuses
    its connections to the fake, so one stays open between requests without being work."""
    return getattr(task.get_coro(), "__qualname__", "").startswith("RequestHandler.")


def _when(moment: datetime) -> str:
    return moment.strftime("%a %d %b %Y %H:%M %Z").strip()
