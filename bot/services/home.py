"""The App Home tab: gathered from the store, published on open and after every change that
concerns the person."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.favours import Ask, suggest_asks
from bot.domain.network import VIEW_LIMIT, is_anonymous, real_network, thank_back
from bot.services.asks import helped_by
from bot.services.deps import Deps
from bot.services.directory import LookupFailed
from bot.views.home import HomeData, build_home

log = logging.getLogger(__name__)
SUGGESTION_POOL = 50  # open asks considered when picking the few to show
HOME_ASKS = 5
HOME_RECEIVED = 5  # the latest thanks shown under "Thanks you received"


async def open_asks_for(deps: Deps, team_id: str, user_id: str) -> list[Ask]:
    """Open asks by others that ``user_id`` could help with, people who helped them first."""
    pool = await deps.store.asks.open_asks(team_id, exclude_user=user_id, limit=SUGGESTION_POOL)
    helped_me = await helped_by(deps, team_id, user_id, pool)
    return suggest_asks(pool, user_id, helped_me, limit=HOME_ASKS)


async def home_data(
    client: AsyncWebClient, deps: Deps, team_id: str, user_id: str, *, lookup_profile: bool = True
) -> HomeData:
    window = (await deps.workspace(team_id)).window_days
    since = deps.clock() - timedelta(days=window)
    ledger, counterparts, prefs = await asyncio.gather(
        deps.store.events.ledger(team_id=team_id, user_id=user_id, since=since, top=0),
        deps.store.insights.counterparts(team_id=team_id, user_id=user_id, limit=VIEW_LIMIT),
        deps.store.preferences.user(team_id, user_id),
    )
    asks = await open_asks_for(deps, team_id, user_id)
    received = await deps.store.events.thanks_to(
        team_id=team_id, user_id=user_id, limit=HOME_RECEIVED
    )
    tz = None
    if lookup_profile:
        try:
            tz = (await deps.directory.profile(client, team_id, user_id)).tz
        except LookupFailed:
            pass
    return HomeData(
        user_id=user_id,
        ledger=ledger,
        window_days=window,
        network=real_network(counterparts),
        thank_back=thank_back(counterparts),
        asks=asks,
        nudges=prefs.nudges,
        detect_thanks=prefs.detect_thanks,
        tz=tz,
        # A forgotten colleague's thanks stay counted, but there is nobody to name.
        received=[e for e in received if not is_anonymous(e.receiver_id)],
    )


async def publish_home(
    client: AsyncWebClient,
    deps: Deps,
    team_id: str,
    user_id: str,
    *,
    lang: str | None = None,
    lookup_profile: bool = True,
) -> None:
    """Build and publish one person's Home tab (``lookup_profile=False``: use only ``lang``)."""
    lang = lang or await deps.language(client, team_id, user_id)
    data = await home_data(client, deps, team_id, user_id, lookup_profile=lookup_profile)
    await client.views_publish(user_id=user_id, view=build_home(data, lang, deps.clock()))


async def refresh_home(
    client: AsyncWebClient,
    deps: Deps,
    team_id: str,
    users: Iterable[str],
    *,
    lang: str | None = None,
    lookup_profile: bool = True,
    seen_only: bool = True,
) -> None:
    """Republish the Home tab of everyone a change concerns. Never raises: the change is made.

    Every surface that records help or changes a preference calls this after its reply.
    Opening the tab always publishes it fresh, so only people who have opened it before
    (``seen_only``) need a republish; the rest cost nothing, which matters under load.
    """
    targets = [u for u in dict.fromkeys(users) if u and not is_anonymous(u)]
    if seen_only:
        targets = [u for u in targets if (await deps.store.preferences.user(team_id, u)).home_seen]
    if not targets:
        return
    results = await asyncio.gather(
        *(
            publish_home(client, deps, team_id, u, lang=lang, lookup_profile=lookup_profile)
            for u in targets
        ),
        return_exceptions=True,
    )
    for result in results:
        if isinstance(result, SlackApiError | LookupFailed | OSError | TimeoutError):
            # The kind only: a LookupFailed names the person, and logs outlive forget-me.
            log.warning("a home tab not refreshed team=%s: %s", team_id, type(result).__name__)
        elif isinstance(result, BaseException):
            raise result
