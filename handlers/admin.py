"""``/giveback config``: workspace admins and owners tune giveback in a modal; and
``/giveback language``, typed in a channel, gives that channel its own posting language."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n.catalog import t
from bot.services.deps import Deps
from bot.services.directory import LookupFailed
from bot.slack.acking import acks_early
from bot.slack.workspace import team_of
from bot.views import ids
from bot.views.settings_form import saved_view, settings_view
from bot.views.settings_parse import parse_settings
from handlers.subcommands import Invocation, Subcommands

log = logging.getLogger(__name__)
FIRST_FIELD = "threshold"  # where a refusal shows in the modal


LANGUAGE_WORDS = {  # what an admin may type after /giveback language
    "en": "en",
    "english": "en",
    "英語": "en",
    "ja": "ja",
    "japanese": "ja",
    "日本語": "ja",
}
FOLLOW_WORKSPACE = ("default", "reset", "workspace", "既定")


def register(app: AsyncApp, subcommands: Subcommands) -> None:
    subcommands.add("config", open_config)
    subcommands.add("language", channel_language)
    app.view(ids.CONFIG_VIEW)(acks_early(save_config))


async def is_admin(deps: Deps, client: AsyncWebClient, team_id: str, user_id: str) -> bool | None:
    """Admin or owner, asked of Slack now (users.info); None if Slack could not tell us.

    Asked again at every submission, never taken from the cache: rights revoked after the
    modal opened are revoked, and a forged submission from someone who never opened it fails.
    """
    try:
        profile = await deps.directory.profile(client, team_id, user_id, fresh=True, fallback=False)
    except LookupFailed:
        return None
    return profile.is_admin and profile.is_person


async def open_config(inv: Invocation) -> None:
    admin = await is_admin(inv.deps, inv.client, inv.team_id, inv.user_id)
    if not admin:
        key = "config.lookup_failed" if admin is None else "config.admins_only"
        await inv.ack(response_type="ephemeral", text=t(inv.lang, key))
        return
    await inv.ack()
    settings = await inv.deps.workspace(inv.team_id)
    await inv.client.views_open(
        trigger_id=inv.command["trigger_id"], view=settings_view(settings, inv.lang)
    )


async def save_config(
    ack: AsyncAck,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    deps: Deps,
) -> None:
    team_id, user_id = team_of(context), body["user"]["id"]
    lang = await deps.language(client, team_id, user_id)
    admin = await is_admin(deps, client, team_id, user_id)
    if not admin:
        key = "config.not_saved_lookup_failed" if admin is None else "config.admins_only"
        await ack(response_action="errors", errors={FIRST_FIELD: t(lang, key)})
        return
    current = await deps.workspace(team_id)
    values = body["view"]["state"]["values"]
    settings, errors = parse_settings(values, current, lang)
    if settings is None:
        await ack(response_action="errors", errors=errors)
        return
    await deps.store.preferences.save_workspace(team_id, settings, now=deps.clock())
    # Saved before the ack that turns the modal into its confirmation.
    await ack(response_action="update", view=saved_view(lang))
    log.info("settings saved team=%s by an admin", team_id)


async def channel_language(inv: Invocation) -> None:
    """``/giveback language [en|ja|default]`` in a channel: show it, or (admins) set it.

    A channel has no locale of its own (Slack's is per person), so what giveback posts there
    follows the workspace's setting unless an admin gives the channel its own.
    """
    channel, word = inv.command.get("channel_id") or "", inv.args.strip().lower()
    deps, team_id = inv.deps, inv.team_id
    if not channel or channel.startswith("D"):
        await inv.ack(response_type="ephemeral", text=t(inv.lang, "language.not_here"))
        return
    if not word:
        own = await deps.store.channels.language(team_id, channel)
        current = own or await deps.workspace_language(team_id)
        key = "language.current_own" if own else "language.current_default"
        name = t(inv.lang, f"language.name.{current}")
        await inv.ack(response_type="ephemeral", text=t(inv.lang, key, language=name))
        return
    chosen = LANGUAGE_WORDS.get(word)
    if chosen is None and word not in FOLLOW_WORKSPACE:
        await inv.ack(response_type="ephemeral", text=t(inv.lang, "language.unknown"))
        return
    admin = await is_admin(deps, inv.client, team_id, inv.user_id)
    if not admin:
        key = "config.lookup_failed" if admin is None else "config.admins_only"
        await inv.ack(response_type="ephemeral", text=t(inv.lang, key))
        return
    await deps.store.channels.set_language(team_id, channel, chosen, now=deps.clock())
    shown = chosen or await deps.workspace_language(team_id)
    key = "language.set" if chosen else "language.reset"
    name = t(inv.lang, f"language.name.{shown}")
    await inv.ack(response_type="ephemeral", text=t(inv.lang, key, language=name))
    log.info("channel language team=%s channel=%s language=%s", team_id, channel, chosen)
