"""The weekly digest: one post to the workspace's digest channel, planned by the sweep."""

from __future__ import annotations

from datetime import datetime

from bot.domain import digest as digests
from bot.domain.nudges import DIGEST, Ask, NudgeKey, describe, in_window, iso_week, local_time
from bot.domain.settings import WorkspaceSettings
from bot.services.deps import Deps
from bot.slack.delivery import Outgoing
from bot.views.nudges import digest_message


async def plan_digest(
    deps: Deps,
    team: str,
    now: datetime,
    settings: WorkspaceSettings,
    open_asks: list[Ask],
    lang: str,
) -> tuple[Outgoing, str] | None:
    """The digest and why it goes now, or None: it goes out in the delivery window of the
    workspace's most common timezone, to the digest channel if one is set, when the week had
    something in it. ``lang`` is the workspace's; the channel's own language wins."""
    channel = settings.digest_channel
    if not channel:
        return None
    tz = digests.most_common_timezone(await deps.store.activity.timezones(team))
    local = local_time(now, tz)
    if local is None or not in_window(
        local, settings.nudge_weekdays, settings.nudge_start_hour, settings.nudge_end_hour
    ):
        return None
    since, activity = now - digests.WEEK, deps.store.activity
    digest = digests.build_digest(
        await activity.thanks_count(team, since=since, until=now),
        await activity.widest_helpers(team, since=since, until=now),
        await activity.new_ties(team, since=since, until=now),
        open_asks,
        hidden=await activity.hidden_from_top(team),
        leaderboard=settings.leaderboard,
    )
    if digest.empty:
        return None  # a week with nothing in it is not worth a post
    # The digest channel speaks its own language when an admin gave it one.
    lang = await deps.store.channels.language(team, channel) or lang
    text, blocks = digest_message(digest, lang)
    key = NudgeKey(team, channel, DIGEST, iso_week(local))
    reason = f"weekly digest for {iso_week(local)} ({describe(local)})"
    return Outgoing(key, text, blocks, channel=channel), reason
