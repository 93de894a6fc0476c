"""Many workspaces: Bolt's OAuth install flow with installations and states kept in our store.

Single-workspace token mode (SLACK_BOT_TOKEN) stays the default; this is used only when
SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (HTTP mode).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.config import Settings
from bot.domain.records import Clock, utc_now
from bot.sealing import Sealer, Unreadable
from storage.installations import InstallationStore, Key
from storage.retention import RetentionStore

log = logging.getLogger("giveback")
# A workspace's bot token, or None when it has none (never installed, revoked, uninstalled).
TokenFor = Callable[[str], Awaitable[str | None]]
STATE_TTL_SECONDS = 600
# Live install states kept at most: the install page is public, and each visit issues one.
MAX_LIVE_STATES = 1000
# What Slack's tokens_revoked for a bot takes away from an installation document.
BOT_FIELDS = (
    "bot_token",
    "bot_refresh_token",
    "bot_token_expires_at",
    "bot_token_expires_in",
    "bot_id",
    "bot_user_id",
    "bot_scopes",
)


def _document(value: dict[str, Any]) -> dict[str, Any]:
    """The SDK's dict, JSON-safe (datetimes become ISO strings, which the SDK reads back)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


class StoreInstallations(AsyncInstallationStore):
    """Slack SDK's installation store interface, on our database."""

    def __init__(
        self,
        installations: InstallationStore,
        sealer: Sealer | None = None,
        retention: RetentionStore | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._installations = installations
        self._sealer = sealer or Sealer()  # no key: stored as they are
        self._retention = retention  # departures: an uninstall starts the retention period
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        bot = installation.to_bot() if installation.bot_token else None
        await self._installations.save(
            _key(
                installation.enterprise_id, installation.team_id, installation.is_enterprise_install
            ),
            user_id=installation.user_id,
            installation=self._sealed(installation.to_dict_for_copying()),
            bot=self._sealed(bot.to_dict_for_copying()) if bot else None,
            installed_at=int(installation.installed_at),
        )
        log.info("installed in team %s", installation.team_id or installation.enterprise_id)
        if self._retention is not None and installation.team_id:
            await self._retention.returned(installation.team_id)  # back: nothing to erase

    async def async_save_bot(self, bot: Bot) -> None:
        await self._installations.save_bot(
            _key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install),
            self._sealed(bot.to_dict_for_copying()),
            installed_at=int(bot.installed_at),
        )

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self._installations.find_bot(
            _key(enterprise_id, team_id, is_enterprise_install)
        )
        return Bot(**self._opened(found)) if found else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        key = _key(enterprise_id, team_id, is_enterprise_install)
        found = await self._installations.find(key, user_id=user_id)
        return Installation(**self._opened(found)) if found else None

    def _sealed(self, value: dict[str, Any]) -> dict[str, Any]:
        return self._sealer.seal(_document(value))

    def _opened(self, stored: dict[str, Any]) -> dict[str, Any]:
        try:
            return self._sealer.open(stored)
        except Unreadable as exc:
            log.error("cannot read a workspace's installation: %s", exc)
            raise

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Slack revoked the bot token (tokens_revoked): delete it everywhere it is kept.

        Bolt finds a workspace's token in its latest installation first, so deleting only the
        bot row (what the SDK's own stores do) left the revoked token in use."""
        # Revocations name what was installed: a workspace, or an org (team_id None).
        key = Key(enterprise_id, team_id)
        deleted = await self._installations.delete_bot(key)
        stripped = await self._installations.strip_bot(key, self._without_bot)
        if deleted or stripped:
            log.info("bot token deleted for team %s", team_id or enterprise_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The app was uninstalled (app_uninstalled): tokens go now; the workspace's data is
        erased when the retention period has passed (bot.jobs.retention), unless it returns."""
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)
        if self._retention is not None and team_id:
            await self._retention.departed(team_id, now=self._clock())
            log.info("team %s uninstalled giveback: its data is kept until erased", team_id)

    def _without_bot(self, stored: dict[str, Any]) -> dict[str, Any]:
        document = self._opened(stored)
        return self._sealed({k: v for k, v in document.items() if k not in BOT_FIELDS})

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        key = Key(enterprise_id, team_id)
        if deleted := await self._installations.delete(key, user_id=user_id):
            log.info("%d installation(s) deleted for team %s", deleted, team_id or enterprise_id)


class StoreStates(AsyncOAuthStateStore):
    """One-time OAuth ``state`` values, shared by every bot process through the database."""

    def __init__(
        self, installations: InstallationStore, clock: Callable[[], float] = time.time
    ) -> None:
        self._installations = installations
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        now = int(self._clock())
        await self._installations.issue_state(
            state, expires_at=now + STATE_TTL_SECONDS, now=now, keep=MAX_LIVE_STATES
        )
        return state

    async def async_consume(self, state: str) -> bool:
        return await self._installations.consume_state(state, now=int(self._clock()))


def oauth_settings(
    settings: Settings,
    installations: InstallationStore,
    retention: RetentionStore | None = None,
    clock: Clock = utc_now,
) -> AsyncOAuthSettings:
    assert settings.client_id and settings.client_secret
    if not settings.token_keys:
        log.warning(
            "installation tokens are stored unsealed: set GIVEBACK_TOKEN_KEY"
            " (`giveback keygen` prints one) to seal them at rest"
        )
    return AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(settings.scopes),
        redirect_uri=settings.redirect_uri,
        installation_store=StoreInstallations(
            installations, Sealer(settings.token_keys), retention, clock
        ),
        state_store=StoreStates(installations),
        state_expiration_seconds=STATE_TTL_SECONDS,
    )


def team_tokens(installations: AsyncInstallationStore) -> TokenFor:
    """Each workspace's bot token from its installation, for work no request carries (the
    scheduler's sweep): in OAuth mode the app's own client has no token."""

    async def token_for(team_id: str) -> str | None:
        bot = await installations.async_find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None

    return token_for


def _key(enterprise_id: str | None, team_id: str | None, org_wide: bool | None) -> Key:
    # An org-wide install is found by its enterprise alone, whichever workspace asks.
    return Key(enterprise_id, None if org_wide else team_id)
