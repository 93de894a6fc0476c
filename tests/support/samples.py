"""Slack's own sample payloads (tests/fixtures/slack/, see its README) and how to send them.

A sample is sent as Slack would: events as JSON, interactions as a form with ``payload=``,
slash commands as a form of fields, each signed. Two kinds of change are made, always in the
open, by the helpers here: response URLs point at the fake Slack (never at hooks.slack.com),
and the java-slack-sdk *shape* samples, whose values Slack's SDK team blanked ("", 123), get
their blank workspace ids and envelope type filled in (:func:`filled`) so they reach the
listeners instead of being refused for naming no workspace.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt.request.internals import extract_team_id

from bot.devtools.simulate import Reply, SignedSender
from tests.support.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "slack"
SHAPES = "slackapi/java-slack-sdk"  # its json-logs samples are shapes with blanked values


@dataclass(frozen=True)
class Sample:
    file: str
    repo: str
    path: str
    commit: str
    source: str
    kind: str
    delivery: str  # json | form-payload | form
    note: str = ""

    @property
    def is_shape(self) -> bool:
        return self.repo == SHAPES

    def payload(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((FIXTURES / self.file).read_text())
        return loaded


def samples() -> list[Sample]:
    return [Sample(**entry) for entry in json.loads((FIXTURES / "index.json").read_text())]


def sample(file: str) -> Sample:
    return next(s for s in samples() if s.file == file)


def installing_team(payload: dict[str, Any]) -> str | None:
    """The workspace Bolt takes a payload to be for (what the bot stores it under)."""
    return extract_team_id(payload)


# What Slack always puts in a slash command (its shape sample has them blank).
COMMAND_FIELDS = {"command": "/giveback", "user_id": "USHAPE", "trigger_id": "1.2.shape"}


def filled(payload: dict[str, Any], team: str) -> dict[str, Any]:
    """A shape sample with its blank workspace ids set to ``team``, an event envelope's blank
    type set to ``event_callback``, and a slash command's blank command, user and trigger
    filled in (:data:`COMMAND_FIELDS`); nothing else changes."""
    out = copy.deepcopy(payload)
    if isinstance(out.get("event"), dict) and out.get("type") == "":
        out["type"] = "event_callback"
    if "command" in out:
        out.update({k: v for k, v in COMMAND_FIELDS.items() if not out.get(k)})
    for holder in _holders(out):
        for key in ("team_id", "team", "app_installed_team_id"):
            if holder.get(key) == "":
                holder[key] = team
        if isinstance(holder.get("team"), dict) and holder["team"].get("id") == "":
            holder["team"]["id"] = team
    return out


def with_response_urls(payload: dict[str, Any], url: str) -> dict[str, Any]:
    """Every response URL in the payload pointed at ``url`` (the fake's)."""
    out = copy.deepcopy(payload)
    for holder in _holders(out):
        if isinstance(holder.get("response_url"), str) and holder["response_url"]:
            holder["response_url"] = url
    return out


def _holders(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _holders(item)
    elif isinstance(value, list):
        for item in value:
            yield from _holders(item)


async def send(sender: SignedSender, payload: dict[str, Any], delivery: str) -> Reply:
    """Post ``payload`` signed, the way Slack delivers this kind of request."""
    if delivery == "json":
        return await sender.post(json.dumps(payload), "application/json")
    form = "application/x-www-form-urlencoded"
    if delivery == "form":
        fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()}
        return await sender.post(urlencode(fields), form)
    return await sender.post(urlencode({"payload": json.dumps(payload)}), form)


async def settled(timeout: float = 5.0) -> None:
    """Wait for the listeners' work after their acks (tasks the bot names ``giveback-…``)."""
    current = asyncio.current_task()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        pending = [
            t
            for t in asyncio.all_tasks()
            if t is not current
            and not t.done()
            and t.get_name().startswith("giveback-")
            and not t.get_name().startswith("giveback-store")
        ]
        if not pending or loop.time() > deadline:
            return
        await asyncio.wait(pending, timeout=max(0.0, deadline - loop.time()))
