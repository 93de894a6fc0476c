"""The retention rule: a workspace that uninstalled giveback is erased 30 days later.

Uninstalling (Slack's ``app_uninstalled``) deletes the workspace's tokens at once and records
the departure; reinstalling within the period keeps everything, as if nothing happened. After
it, every row the workspace left is erased (storage.retention). ``giveback purge --team``
erases one at once, whether or not it uninstalled.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.services.deps import Deps

log = logging.getLogger(__name__)
RETENTION_AFTER_UNINSTALL = timedelta(days=30)


async def erase_departed(deps: Deps, now: datetime) -> dict[str, dict[str, int]]:
    """Erase every workspace whose retention period has passed; rows erased per team."""
    erased: dict[str, dict[str, int]] = {}
    for team in await deps.store.retention.due(departed_before=now - RETENTION_AFTER_UNINSTALL):
        erased[team] = await deps.store.retention.erase(team)
        log.info(
            "erased team %s, %d days after it uninstalled giveback: %d rows",
            team,
            RETENTION_AFTER_UNINSTALL.days,
            sum(erased[team].values()),
        )
    return erased
