"""What every listener needs, built once and handed to handlers through Bolt's context."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.records import Clock
from bot.domain.settings import WorkspaceSettings
from bot.i18n.catalog import language_for
from bot.services.directory import Directory, LookupFailed
from storage.store import Store


@dataclass
class Deps:
    store: Store
    clock: Clock
    directory: Directory
    default_language: str = "en"

    async def workspace(self, team_id: str) -> WorkspaceSettings:
        return await self.store.preferences.workspace(team_id)

    async def language(self, client: AsyncWebClient, team_id: str, user_id: str) -> str:
        """The person's Slack locale if we speak it, else the workspace default."""
        default = (await self.workspace(team_id)).language or self.default_language
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
