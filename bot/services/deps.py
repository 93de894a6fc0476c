"""What every use case needs (the store, the clock, who is who), built once by ``build_deps``
and handed to listeners through Bolt's context and to the jobs and the CLI directly."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookResponse

from bot.domain.records import Clock
from bot.domain.settings import WorkspaceSettings
from bot.i18n.catalog import language_for
from bot.services.directory import Directory, LookupFailed
from storage.store import Store

# How a use case answers the person who acted: Bolt's ``respond`` (a response URL), passed in
# by the listener, so services need no Bolt types.
Reply = Callable[..., Awaitable[WebhookResponse]]


@dataclass
class Deps:
    store: Store
    clock: Clock
    directory: Directory
    default_language: str = "en"

    async def workspace(self, team_id: str) -> WorkspaceSettings:
        return await self.store.preferences.workspace(team_id)

    async def workspace_language(self, team_id: str) -> str:
        """The admins' choice for channel posts and the digest, else GIVEBACK_LANGUAGE."""
        return (await self.workspace(team_id)).language or self.default_language

    async def channel_language(self, team_id: str, channel_id: str | None) -> str:
        """What giveback posts in a channel speaks: the channel's own language if an admin
        chose one, else the workspace's. A channel has no locale; its readers each have one."""
        if channel_id:
            own = await self.store.channels.language(team_id, channel_id)
            if own:
                return own
        return await self.workspace_language(team_id)

    async def language(self, client: AsyncWebClient, team_id: str, user_id: str) -> str:
        """The person's Slack locale if we speak it, else the workspace default."""
        default = await self.workspace_language(team_id)
        try:
            profile = await self.directory.profile(client, team_id, user_id)
        except LookupFailed:
            return default
        return language_for(profile.locale, default)

    async def set_preferences(self, team_id: str, user_id: str, **changes: Any) -> None:
        """Save the person's preferences with ``changes``; nothing is written if they hold."""
        prefs = await self.store.preferences.user(team_id, user_id)
        if any(getattr(prefs, name) != value for name, value in changes.items()):
            changed = dataclasses.replace(prefs, **changes)
            await self.store.preferences.save_user(team_id, user_id, changed, now=self.clock())


def build_deps(store: Store, clock: Clock, *, default_language: str = "en") -> Deps:
    """The one way to assemble Deps: the directory shares the store and the clock."""
    return Deps(
        store=store,
        clock=clock,
        directory=Directory(store, clock),
        default_language=default_language,
    )
