"""What every listener needs, built once and handed to handlers through Bolt's context."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.catalog import language_for
from bot.directory import Directory, LookupFailed
from bot.models import Clock
from storage.sqlite import SqliteStore

WINDOW_DAYS = 90


@dataclass
class Deps:
    store: SqliteStore
    clock: Clock
    directory: Directory
    default_language: str = "en"
    window_days: int = WINDOW_DAYS

    async def language(self, client: AsyncWebClient, team_id: str, user_id: str) -> str:
        """The person's Slack locale if we speak it, else the workspace default."""
        try:
            profile = await self.directory.profile(client, team_id, user_id)
        except LookupFailed:
            return self.default_language
        return language_for(profile.locale, self.default_language)
