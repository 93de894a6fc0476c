"""Who is who: ``users.info`` answers cached in the store (bots, timezones, locales)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.records import Clock, UserProfile
from storage.store import Store

log = logging.getLogger(__name__)
PROFILE_TTL = timedelta(days=1)
LOOKUP_TIMEOUT = 1.5  # keeps a slow users.info inside Slack's 3-second ack window
GONE_ERRORS = ("user_not_found", "account_inactive", "user_not_visible")


class LookupFailed(Exception):
    """Slack did not tell us who a user is (timeout, 5xx, rate limit)."""


class Directory:
    def __init__(self, store: Store, clock: Clock, ttl: timedelta = PROFILE_TTL) -> None:
        self._store = store
        self._clock = clock
        self._ttl = ttl

    async def profile(
        self,
        client: AsyncWebClient,
        team_id: str,
        user_id: str,
        *,
        fresh: bool = False,
        fallback: bool = True,
    ) -> UserProfile:
        """The cached profile, refreshed from ``users.info`` when older than the TTL.

        ``fresh``: ask Slack now; the cache only if Slack does not answer. ``fallback=False``:
        never the cache, LookupFailed instead (permission checks: the cache may still show an
        admin whose rights were revoked since).
        """
        cached = await self._store.profiles.get(team_id=team_id, user_id=user_id)
        if (
            not fresh
            and cached
            and cached.fetched_at
            and self._clock() - cached.fetched_at < self._ttl
        ):
            return cached
        try:
            profile = await asyncio.wait_for(self._fetch(client, team_id, user_id), LOOKUP_TIMEOUT)
        except SlackApiError as exc:
            if exc.response.get("error") in GONE_ERRORS:
                profile = UserProfile(team_id, user_id, deleted=True, fetched_at=self._clock())
            elif cached and fallback:
                return cached
            else:
                raise LookupFailed(user_id) from exc
        except (TimeoutError, OSError) as exc:
            if cached and fallback:
                return cached
            raise LookupFailed(user_id) from exc
        await self._store.profiles.save(profile)
        return profile

    async def profiles(
        self, client: AsyncWebClient, team_id: str, user_ids: tuple[str, ...]
    ) -> dict[str, UserProfile | None]:
        """Look several people up at once; None for those Slack could not tell us about."""
        if len(user_ids) == 1:  # most thanks name one person: no task to wait for
            results: list[UserProfile | BaseException] = [
                await _outcome(self.profile(client, team_id, user_ids[0]))
            ]
        else:
            results = await asyncio.gather(
                *(self.profile(client, team_id, u) for u in user_ids), return_exceptions=True
            )
        found: dict[str, UserProfile | None] = {}
        for user_id, result in zip(user_ids, results, strict=True):
            if isinstance(result, LookupFailed):
                found[user_id] = None
            elif isinstance(result, BaseException):
                raise result
            else:
                found[user_id] = result
        return found

    async def _fetch(self, client: AsyncWebClient, team_id: str, user_id: str) -> UserProfile:
        response = await client.users_info(user=user_id, include_locale=True)
        user = response["user"]
        return UserProfile(
            team_id=team_id,
            user_id=user_id,
            name=user.get("profile", {}).get("display_name")
            or user.get("real_name")
            or user.get("name", ""),
            # Slackbot is not flagged is_bot by Slack, but it is one.
            is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
            deleted=bool(user.get("deleted")),
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
            tz=user.get("tz"),
            locale=user.get("locale"),
            fetched_at=self._clock(),
        )


async def _outcome(lookup: Awaitable[UserProfile]) -> UserProfile | BaseException:
    """The profile, or what went wrong (as ``gather(..., return_exceptions=True)`` gives it)."""
    try:
        return await lookup
    except Exception as exc:
        return exc


GONE_MESSAGE_ERRORS = ("message_not_found", "channel_not_found", "no_item_specified")


async def message_author(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    """Who wrote the message at ``channel``/``ts`` (``reactions.get``, scope reactions:read).

    A reaction event lacks ``item_user`` when the message's author is a member of another
    organisation (Slack Connect). None when the message is gone or has no person as author;
    LookupFailed when Slack did not answer.
    """
    try:
        response = await asyncio.wait_for(
            client.reactions_get(channel=channel, timestamp=ts), LOOKUP_TIMEOUT
        )
    except SlackApiError as exc:
        if exc.response.get("error") in GONE_MESSAGE_ERRORS:
            return None
        raise LookupFailed(f"{channel}/{ts}") from exc
    except (TimeoutError, OSError) as exc:
        raise LookupFailed(f"{channel}/{ts}") from exc
    message = response.get("message") or {}
    author = message.get("user")
    return str(author) if author and not message.get("bot_id") else None
