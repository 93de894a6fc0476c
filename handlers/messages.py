"""Messages: thanks said in plain words in a channel (offer the author a one-click log, store
nothing unasked), and a message to the bot in its Messages tab (point at the commands)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.detect import detect_thanks
from bot.domain.limits import DM_ANSWER
from bot.domain.parsing import MENTION, ThanksRequest, clean_note
from bot.i18n.catalog import t
from bot.services.announce import News, tell_helpers
from bot.services.deps import Deps
from bot.services.home import refresh_home
from bot.services.limits import allow
from bot.services.thanks import give_thanks
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import ids
from bot.views.blocks import people
from bot.views.detect import Offer, detection_offer, value_fits
from bot.views.thanks import thanks_problems
from handlers.subcommands import Subcommands

log = logging.getLogger(__name__)
CHANNEL_TYPES = ("channel", "group")
# Subtypes that still carry a person's own words: a thread reply also sent to the channel, a
# message with a file, a /me message. Edits, deletions, joins and bot posts carry none.
HUMAN_SUBTYPES = (None, "thread_broadcast", "file_share", "me_message")


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    app.event("message")(acks_early(handle_message))
    app.action(ids.DETECT_LOG)(acks_early(handle_log_offer))
    app.action(ids.DETECT_DISMISS)(acks_early(handle_dismiss_offer))
    app.action(ids.DETECT_OPTOUT)(acks_early(handle_opt_out))


async def handle_message(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    author, channel = event.get("user"), event.get("channel")
    if (
        event.get("subtype") not in HUMAN_SUBTYPES  # edits, joins, bot posts, ...
        or event.get("bot_id")
        or not author
        or not channel
        or author == context.bot_user_id
    ):
        return
    team_id = team_of(context)
    if event.get("channel_type") == "im":
        await answer_direct_message(client, deps, team_id, author, channel, event.get("ts", ""))
        return
    if event.get("channel_type", "channel") not in CHANNEL_TYPES:
        return
    text = event.get("text", "")
    mentioned = detect_thanks(text, author=author, bot_user_id=context.bot_user_id)
    if not mentioned:
        return
    if not (await deps.store.preferences.user(team_id, author)).detect_thanks:
        return
    profiles = await deps.directory.profiles(client, team_id, mentioned)
    helpers = tuple(u for u, p in profiles.items() if p is not None and p.is_person)
    if not helpers:
        return
    offer = value_fits(
        Offer(author, helpers, channel, event["ts"], clean_note(MENTION.sub("", text))[0])
    )
    # Claimed before posting: a redelivered event finds the claim and offers nothing twice.
    if not await deps.store.offers.claim(
        team_id=team_id, key=offer.key, user_id=author, now=deps.clock()
    ):
        return
    lang = await deps.language(client, team_id, author)
    names = [(p.name if (p := profiles[u]) else "") or u for u in helpers]
    text, blocks = detection_offer(offer, names, lang)
    thread = {"thread_ts": event["thread_ts"]} if event.get("thread_ts") else {}
    await client.chat_postEphemeral(
        channel=channel, user=author, text=text, blocks=blocks, **thread
    )


async def handle_log_offer(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    offer = Offer.from_value(body["actions"][0].get("value", ""))
    if offer is None or offer.author != user_id:
        await respond(
            replace_original=False, response_type="ephemeral", text=t(lang, "error.generic")
        )
        return
    outcome = await give_thanks(
        deps,
        client,
        team_id=team_id,
        giver=user_id,
        request=ThanksRequest(receivers=offer.helpers, note=offer.note),
        source="detected",
        channel_id=offer.channel,
        key=offer.key,
    )
    lines = []
    if outcome.helpers:
        lines.append(t(lang, "thanks.recorded_private", helpers=people(outcome.helpers, lang)))
    if outcome.uncounted:
        lines.append(t(lang, "thanks.capped", helpers=people(outcome.uncounted, lang)))
    lines += thanks_problems(outcome, lang)
    await respond(replace_original=True, response_type="ephemeral", text="\n".join(lines))
    if outcome.recorded:
        log.info(
            "thanks recorded team=%s helpers=%d source=detected", team_id, len(outcome.recorded)
        )
        # Logged privately: the people thanked hear of it from the bot, with the words.
        news = News(team_id, user_id, outcome.to_announce, offer.note, lang)
        await tell_helpers(
            deps, client, news, lambda text: respond(response_type="ephemeral", text=text)
        )
        await refresh_home(client, deps, team_id, [user_id, *outcome.recorded])


async def answer_direct_message(
    client: AsyncWebClient, deps: Deps, team_id: str, user_id: str, channel: str, ts: str
) -> None:
    """A message to the bot: it reads none, so it says where things are (a few times an hour
    at most: a short pointer, not a conversation)."""
    # Claimed by the message, not the delivery: Slack's retry of the same message (the first
    # answer slow, or lost on the way back) is answered once.
    key = f"dm:{channel}:{ts}"
    if not await deps.store.offers.claim(
        team_id=team_id, key=key, user_id=user_id, now=deps.clock()
    ):
        return
    if not await allow(deps, team_id, user_id, DM_ANSWER):
        return
    lang = await deps.language(client, team_id, user_id)
    await client.chat_postMessage(channel=channel, text=t(lang, "dm.answer"))


async def handle_dismiss_offer(ack: AsyncAck, respond: AsyncRespond) -> None:
    await ack()
    await respond(delete_original=True)


async def handle_opt_out(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    respond: AsyncRespond,
    deps: Deps,
) -> None:
    await ack()
    team_id, user_id = team_of(context), body["user"]["id"]
    await deps.set_preferences(team_id, user_id, detect_thanks=False)
    lang = await deps.language(client, team_id, user_id)
    await respond(
        replace_original=True, response_type="ephemeral", text=t(lang, "detect.opted_out")
    )
    await refresh_home(client, deps, team_id, [user_id])
