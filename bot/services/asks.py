"""Asks for favours: the give-first check, posting an ask, and what happens to it after
(offers, resolving, withdrawing), with every copy the bot posted kept up to date.

Every change is a guarded transition in the store, so a double click or a replayed
submission changes nothing twice; these functions say what came of it and the listener
answers the person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.announce import announced_publicly
from bot.domain.favours import (
    Ask,
    GiveFirst,
    give_first,
    suggest_asks,
)
from bot.domain.limits import ANNOUNCE, DM
from bot.domain.parsing import clean_note
from bot.i18n.catalog import t
from bot.services.deps import Deps, Reply
from bot.services.limits import allow
from bot.services.suggest import who_could_help
from bot.views import asks as views
from bot.views.blocks import Blocks, people, section
from bot.views.suggest import suggestion_blocks
from storage.ask_messages import AskMessage

log = logging.getLogger(__name__)
SUGGESTION_POOL = 50  # open asks considered when picking three to suggest


async def load_ask(deps: Deps, team_id: str, value: object) -> Ask | None:
    """The ask a button's value names (its id), if it exists in this workspace."""
    raw = str(value or "")
    return await deps.store.asks.get(team_id=team_id, ask_id=int(raw)) if raw.isdigit() else None


@dataclass(frozen=True)
class GiveFirstCheck:
    """The decision before an ask is posted, and the open asks that back it."""

    decision: GiveFirst
    suggestions: list[Ask] = field(default_factory=list)  # asks the asker could help with
    helped_me: dict[str, int] = field(default_factory=dict)  # how often each asker helped them


async def check_give_first(
    deps: Deps, team_id: str, user_id: str, *, urgent: bool = False
) -> GiveFirstCheck:
    """The give-first decision: the person's giving and asking from the running totals (the
    sweep reads the same), then, only for someone it would hold, the asks they could help with.
    """
    settings = await deps.workspace(team_id)
    since = deps.clock() - timedelta(days=settings.window_days)
    balance = await deps.store.activity.balance(team_id, user_id, since=since)
    decision = give_first(balance, settings, urgent=urgent)
    if not decision.hold:
        return GiveFirstCheck(decision)
    pool = await deps.store.asks.open_asks(team_id, exclude_user=user_id, limit=SUGGESTION_POOL)
    helped_me = await helped_by(deps, team_id, user_id, pool)
    suggestions = suggest_asks(pool, user_id, helped_me)
    decision = give_first(balance, settings, urgent=urgent, could_help=bool(suggestions))
    return GiveFirstCheck(decision, suggestions, helped_me)


async def helped_by(deps: Deps, team_id: str, user_id: str, asks: list[Ask]) -> dict[str, int]:
    """How often each of these asks' authors helped ``user_id``, all time."""
    askers = sorted({a.asker_id for a in asks})
    return await deps.store.activity.help_from(team_id, user_id, askers)


def give_first_view(check: GiveFirstCheck, ask: Ask, lang: str) -> tuple[str, Blocks]:
    return views.give_first_reply(
        check.decision,
        ask,
        suggestions=check.suggestions,
        helped_me=check.helped_me,
        lang=lang,
    )


async def post_held(
    deps: Deps,
    client: AsyncWebClient,
    respond: Reply,
    ask: Ask,
    lang: str,
    *,
    notes: list[str],
) -> None:
    """Post a held ask now, in place of the give-first reply (once, however often pressed)."""
    if not await deps.store.asks.publish(team_id=ask.team_id, ask_id=ask.id, now=deps.clock()):
        text = "\n".join([t(lang, "asks.posted"), *notes])
        await respond(replace_original=True, response_type="ephemeral", text=text)
        return  # a double click: the other press posted it
    posted = await deps.store.asks.get(team_id=ask.team_id, ask_id=ask.id)
    assert posted is not None
    await publish(deps, client, respond, posted, lang, notes=notes, replace_original=True)


async def offer_help(
    deps: Deps, client: AsyncWebClient, ask: Ask | None, user_id: str, lang: str
) -> tuple[bool, str]:
    """``user_id`` can help with ``ask``: record it (it counts as giving at once) and tell the
    asker. Returns whether the offer stands (new or made before) and what to tell the offerer.
    """
    if ask is None or not ask.is_open:
        return False, views.closed_reason(ask, lang)
    if ask.asker_id == user_id:
        return False, t(lang, "asks.own_offer")
    if not await deps.store.asks.offer(
        team_id=ask.team_id, ask_id=ask.id, user_id=user_id, now=deps.clock()
    ):
        fresh = await deps.store.asks.get(team_id=ask.team_id, ask_id=ask.id)
        if fresh is None or not fresh.is_open:
            return False, views.closed_reason(fresh, lang)
        return True, t(lang, "asks.already_offered", asker=ask.asker_id)
    log.info("offer team=%s ask=%d", ask.team_id, ask.id)
    await tell_asker_of_offer(deps, client, ask, user_id)
    return True, t(lang, "asks.offered", asker=ask.asker_id)


async def publish(
    deps: Deps,
    client: AsyncWebClient,
    respond: Reply,
    ask: Ask,
    lang: str,
    *,
    notes: list[str],
    replace_original: bool = False,
) -> None:
    """Post an open ask in its channel (in the channel's language) and DM it to each person
    named (in theirs), within the asker's hourly allowances; tell the asker (in ``lang``), with
    who could help."""
    if await allow(deps, ask.team_id, ask.asker_id, ANNOUNCE):
        posted = await post_in_channel(deps, client, ask)
        lines = [t(lang, "asks.posted" if posted else "asks.not_in_channel")]
    else:
        lines = [t(lang, "limits.ask_post")]
    granted = await allow(deps, ask.team_id, ask.asker_id, DM, len(ask.asked))
    for person in ask.asked[:granted]:
        await send_to_named(deps, client, ask, person)
    if skipped := ask.asked[granted:]:
        lines.append(t(lang, "limits.dm_ask", people=people(skipped, lang)))
    lines += notes
    text = "\n".join(lines)
    suggested = await suggestions_for(deps, ask, lang)
    await respond(
        replace_original=replace_original,
        response_type="ephemeral",
        text=text,
        blocks=[section(text), *suggested] if suggested else None,
    )


async def send_to_named(deps: Deps, client: AsyncWebClient, ask: Ask, person: str) -> None:
    """A copy of the ask for someone it names, in their language, kept so it can be updated
    later."""
    person_lang = await deps.language(client, ask.team_id, person)
    dm_text, dm_blocks = views.ask_message(ask, person_lang, kind="dm")
    try:
        sent = await client.chat_postMessage(channel=person, text=dm_text, blocks=dm_blocks)
    except SlackApiError as exc:
        log.warning("could not DM ask %d to someone: %s", ask.id, exc.response.get("error"))
        return
    await deps.store.ask_messages.add(
        ask.team_id,
        AskMessage(ask.id, sent["channel"], sent["ts"], "dm", person_lang, recipient=person),
    )


async def suggestions_for(deps: Deps, ask: Ask, lang: str) -> Blocks:
    """Who could help with ``ask`` (from what people were thanked for), as buttons that
    mention them in it."""
    found = await who_could_help(
        deps, ask.team_id, ask.asker_id, ask.text, named=ask.asked, exclude_ask=ask.id
    )
    return suggestion_blocks(ask, found, lang)


async def post_in_channel(deps: Deps, client: AsyncWebClient, ask: Ask) -> bool:
    """The ask in its channel, with its buttons, in the channel's language (everyone there
    reads the same post, whatever the asker's own Slack language)."""
    if not ask.channel_id:
        return False
    lang = await deps.channel_language(ask.team_id, ask.channel_id)
    text, blocks = views.ask_message(ask, lang, kind="channel")
    try:
        sent = await client.chat_postMessage(channel=ask.channel_id, text=text, blocks=blocks)
    except SlackApiError as exc:  # not_in_channel, channel_not_found: the board still lists it
        log.info("ask %d not posted in %s: %s", ask.id, ask.channel_id, exc.response.get("error"))
        return False
    await deps.store.ask_messages.add(
        ask.team_id, AskMessage(ask.id, sent["channel"], sent["ts"], "channel", lang)
    )
    return True


async def refresh_messages(deps: Deps, client: AsyncWebClient, ask: Ask) -> None:
    """Show the ask's current state in every copy the bot posted."""
    for message in await deps.store.ask_messages.of(team_id=ask.team_id, ask_id=ask.id):
        text, blocks = views.ask_message(ask, message.lang, kind=message.kind)
        try:
            await client.chat_update(
                channel=message.channel_id, ts=message.ts, text=text, blocks=blocks
            )
        except SlackApiError as exc:  # deleted by someone, or the channel archived
            log.info(
                "ask %d message %s not updated: %s", ask.id, message.ts, exc.response.get("error")
            )


async def show_fresh(deps: Deps, client: AsyncWebClient, ask: Ask) -> Ask:
    """The ask as the store has it now, also shown in every copy the bot posted."""
    fresh = await deps.store.asks.get(team_id=ask.team_id, ask_id=ask.id)
    assert fresh is not None
    await refresh_messages(deps, client, fresh)
    return fresh


async def tell_asker_of_offer(deps: Deps, client: AsyncWebClient, ask: Ask, offerer: str) -> None:
    """Someone offered: the ask's copies show it, and the asker hears of it by DM."""
    fresh = await show_fresh(deps, client, ask)
    if not await allow(deps, ask.team_id, offerer, DM):
        return  # many offers in an hour: the ask's own post shows this one
    asker_lang = await deps.language(client, ask.team_id, ask.asker_id)
    text, blocks = views.offer_dm(fresh, offerer, asker_lang)
    await client.chat_postMessage(channel=ask.asker_id, text=text, blocks=blocks)


async def resolve(deps: Deps, ask: Ask, helpers: tuple[str, ...]) -> bool:
    """Close ``ask`` crediting ``helpers`` (as help on it, under the daily cap); False when
    another submission closed it first."""
    settings = await deps.workspace(ask.team_id)
    messages = await deps.store.ask_messages.of(team_id=ask.team_id, ask_id=ask.id)
    posted = any(m.kind == "channel" for m in messages)  # the ask was seen in its channel
    return await deps.store.asks.resolve(
        ask=ask,
        helpers=helpers,
        note=clean_note(ask.text)[0],
        now=deps.clock(),
        daily_cap=settings.daily_pair_cap,
        public=posted and announced_publicly(settings.announce, "ask", ask.channel_id),
    )


async def thank_helpers(
    deps: Deps, client: AsyncWebClient, ask: Ask, helpers: tuple[str, ...], note: str
) -> None:
    """A resolved ask: its copies show who helped, and each helper gets a thank-you DM (within
    the asker's hourly allowance; past it, the ask's own post names them)."""
    fresh = await show_fresh(deps, client, ask)
    granted = await allow(deps, ask.team_id, ask.asker_id, DM, len(helpers))
    for helper in helpers[:granted]:
        helper_lang = await deps.language(client, ask.team_id, helper)
        text, blocks = views.helper_thanks_dm(fresh, note, helper_lang)
        await client.chat_postMessage(channel=helper, text=text, blocks=blocks)
