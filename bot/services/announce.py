"""Telling people about a recorded thanks: in the channel where the workspace wants it, and
always to the person thanked.

A thanks is announced in the channel's language (bot.domain.announce decides where). Whenever
it is not announced where the helper can see it (private mode, a DM, the Home form, a detected
thanks logged privately, a channel that refused the post, the thanker's hourly allowance spent),
the helper gets a DM with the note instead; the first such DM a person gets also says, in two
lines, what giveback is and where to see it. A public announcement mentions the helper, so
Slack tells them already: no extra DM. Thanks past the daily cap for a pair are recorded but
not announced again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.announce import PRIVATE, Delivery, plan_announcement
from bot.domain.limits import ANNOUNCE, DM, THANKS_INTRO
from bot.domain.parsing import MENTION
from bot.domain.thanks import ThanksOutcome
from bot.i18n.catalog import t
from bot.services.deps import Deps, Reply
from bot.services.limits import allow, first_notice, once
from bot.views.blocks import Blocks, people
from bot.views.thanks import thanks_announcement, thanks_dm

log = logging.getLogger(__name__)
NAMED_MAX = 10  # people looked up to name them in a note; more are shown as Slack sent them
TellGiver = Callable[[str], Awaitable[object]]


@dataclass(frozen=True)
class News:
    """A recorded thanks to pass on privately: who said it (``lang``: what they read), whom it
    thanks, and their words."""

    team_id: str
    giver: str
    helpers: tuple[str, ...]
    note: str
    lang: str


async def announce_thanks(
    deps: Deps,
    client: AsyncWebClient,
    *,
    team_id: str,
    giver: str,
    outcome: ThanksOutcome,
    lang: str,
    channel: str | None,
    message_ts: str | None = None,
    thread_ts: str | None = None,
    respond: Reply | None = None,
) -> None:
    """Announce what ``outcome`` newly recorded; ``lang`` is the giver's (their own replies)."""
    helpers, note = outcome.to_announce, outcome.request.note
    tell_giver = giver_channel(client, giver, channel, respond)
    if outcome.uncounted:
        await tell_giver(t(lang, "thanks.capped", helpers=people(outcome.uncounted, lang)))
    if not helpers:
        return
    mode = (await deps.workspace(team_id)).announce
    delivery = plan_announcement(mode, message_ts=message_ts, thread_ts=thread_ts, channel=channel)
    notice = None
    if delivery.kind != PRIVATE and not await allow(deps, team_id, giver, ANNOUNCE):
        delivery = Delivery(PRIVATE)  # the allowance for the hour is spent: only DMs now
        if await first_notice(deps, team_id, giver, ANNOUNCE):
            notice = t(lang, "limits.announce")
    if delivery.kind != PRIVATE and channel:
        names = await mention_names(deps, client, team_id, note)
        channel_lang = await deps.channel_language(team_id, channel)
        text, blocks = thanks_announcement(giver, helpers, note, channel_lang, names)
        if await _announced(client, delivery, channel, text, blocks, respond):
            return
        if delivery.kind == "respond":  # the response URL refused (expired): don't use it again
            tell_giver = giver_channel(client, giver, channel, None)
    await tell_privately(
        deps, client, News(team_id, giver, helpers, note, lang), tell_giver, notice=notice
    )


async def tell_privately(
    deps: Deps,
    client: AsyncWebClient,
    news: News,
    tell_giver: TellGiver,
    *,
    notice: str | None = None,
    confirm: bool = True,
) -> None:
    """Only the people involved: a confirmation for the giver (with ``notice``, if any), a DM
    for each helper."""
    confirmation = t(news.lang, "thanks.recorded_private", helpers=people(news.helpers, news.lang))
    said = "\n".join(filter(None, [confirmation if confirm else None, notice]))
    if said:
        await tell_giver(said)
    await tell_helpers(deps, client, news, tell_giver)


async def tell_helpers(
    deps: Deps, client: AsyncWebClient, news: News, tell_giver: TellGiver | None = None
) -> tuple[str, ...]:
    """DM each person thanked, within the giver's hourly allowance; return who was not told.

    Past the allowance the giver hears so once an hour (``tell_giver``, in their language);
    the thanks is recorded either way and shows on the helper's Home.
    """
    team_id, giver, helpers = news.team_id, news.giver, news.helpers
    granted = await allow(deps, team_id, giver, DM, len(helpers))
    names = await mention_names(deps, client, team_id, news.note)
    for helper in helpers[:granted]:
        intro = await _newcomer(deps, team_id, helper)
        await _dm_helper(deps, client, team_id, giver, helper, news.note, names, intro=intro)
    skipped = helpers[granted:]
    if skipped and tell_giver and await first_notice(deps, team_id, giver, DM):
        await tell_giver(t(news.lang, "limits.dm", people=people(skipped, news.lang)))
    return skipped


async def mention_names(
    deps: Deps, client: AsyncWebClient, team_id: str, note: str
) -> dict[str, str]:
    """Display names of the people a note mentions, to show them by name (not ping them)."""
    mentioned = tuple(dict.fromkeys(MENTION.findall(note)))[:NAMED_MAX]
    if not mentioned:
        return {}
    found = await deps.directory.profiles(client, team_id, mentioned)
    return {user: profile.name for user, profile in found.items() if profile and profile.name}


async def _newcomer(deps: Deps, team_id: str, helper: str) -> bool:
    """The first thanks DM a person gets explains giveback: claims that, once ever."""
    return await once(deps, team_id, helper, THANKS_INTRO)


async def _dm_helper(
    deps: Deps,
    client: AsyncWebClient,
    team_id: str,
    giver: str,
    helper: str,
    note: str,
    names: dict[str, str],
    *,
    intro: bool,
) -> None:
    helper_lang = await deps.language(client, team_id, helper)
    text, blocks = thanks_dm(giver, note, helper_lang, names=names, intro=intro)
    try:
        await client.chat_postMessage(channel=helper, text=text, blocks=blocks)
    except SlackApiError as exc:  # a deactivated account, say: the thanks is recorded anyway
        log.info("thanks DM not sent team=%s: %s", team_id, exc.response.get("error"))


def giver_channel(
    client: AsyncWebClient, giver: str, channel: str | None, respond: Reply | None
) -> TellGiver:
    """How to tell the giver something only they see: the command's own reply, an ephemeral
    in the channel, or (where neither works) a DM."""

    async def tell(text: str) -> None:
        if respond is not None:
            answer = await respond(response_type="ephemeral", text=text)
            if answer.status_code < 400:
                return
        if not (channel and await ephemeral(client, channel, giver, text)):
            await client.chat_postMessage(channel=giver, text=text)

    return tell


async def ephemeral(client: AsyncWebClient, channel: str, user: str, text: str) -> bool:
    """Show ``text`` to ``user`` in ``channel``; False where Slack will not (a DM, or a channel
    without the bot)."""
    if channel.startswith("D"):
        return False
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.info("confirmation not shown in %s: %s", channel, exc.response.get("error"))
        return False
    return True


async def _announced(
    client: AsyncWebClient,
    delivery: Delivery,
    channel: str,
    text: str,
    blocks: Blocks,
    respond: Reply | None,
) -> bool:
    """Post the announcement (the command's reply, or in the channel or its thread); False if
    Slack refuses (an expired response URL, a channel without the bot)."""
    if delivery.kind == "respond" and respond is not None:
        answer = await respond(response_type="in_channel", text=text, blocks=blocks)
        return answer.status_code < 400
    try:
        await client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=delivery.thread_ts,
            reply_broadcast=delivery.broadcast or None,
        )
    except SlackApiError as exc:  # e.g. not_in_channel: the people still hear of it
        log.info("announcement not posted in %s: %s", channel, exc.response.get("error"))
        return False
    return True
