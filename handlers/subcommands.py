"""``/giveback [subcommand ...]``: one command, its subcommands added by the features that own them.

Each feature's ``register(app, subcommands)`` adds its own (``subcommands.add("top", show_top)``);
this module only dispatches, so no listener module imports another to reach its subcommand.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.parsing import split_subcommand
from bot.services.deps import Deps
from bot.slack.acking import acks_early


@dataclass(frozen=True)
class Invocation:
    """Everything a ``/giveback`` subcommand gets; it must call ``ack`` within 3 seconds."""

    ack: AsyncAck
    command: dict[str, Any]
    client: AsyncWebClient
    respond: AsyncRespond
    deps: Deps
    lang: str
    args: str

    @property
    def team_id(self) -> str:
        return str(self.command["team_id"])

    @property
    def user_id(self) -> str:
        return str(self.command["user_id"])


Subcommand = Callable[[Invocation], Awaitable[None]]


class Subcommands:
    """The ``/giveback`` table of one app: a name to what answers it, and what answers the rest."""

    def __init__(self) -> None:
        self._table: dict[str, Subcommand] = {}
        self._unknown: Subcommand | None = None

    def add(self, name: str, subcommand: Subcommand) -> None:
        if name in self._table:
            raise ValueError(f"/giveback {name} is registered twice")
        self._table[name] = subcommand

    def otherwise(self, subcommand: Subcommand) -> None:
        """What answers a name nobody registered (the help, saying so)."""
        self._unknown = subcommand

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name in self._table if name)

    async def dispatch(self, name: str, invocation: Invocation) -> None:
        subcommand = self._table.get(name, self._unknown)
        if subcommand is None:
            raise LookupError(f"no /giveback {name!r} and no fallback")
        await subcommand(invocation)


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    async def handle_giveback(
        ack: AsyncAck,
        command: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        deps: Deps,
    ) -> None:
        """``/giveback [subcommand ...]``: each subcommand answers (and acks) for itself."""
        team_id, user_id = command["team_id"], command["user_id"]
        lang = await deps.language(client, team_id, user_id)
        name, args = split_subcommand(command.get("text", ""))
        await subcommands.dispatch(
            name, Invocation(ack, command, client, respond, deps, lang, args)
        )

    app.command("/giveback")(acks_early(handle_giveback))
