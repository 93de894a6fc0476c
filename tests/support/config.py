"""The ``/giveback config`` modal as Slack drives it: opened, filled in, submitted (signed)."""

from __future__ import annotations

from typing import Any

from bot.devtools.simulate import Reply
from bot.domain.settings import WorkspaceSettings
from bot.views import ids
from bot.views.settings_form import VALUE, settings_view
from tests.conftest import DAVE, TEAM, Bot

Values = dict[str, dict[str, Any]]


def element_state(element: dict[str, Any]) -> dict[str, Any]:
    """What Slack sends in ``view.state.values`` for an input nobody touched."""
    kind = element["type"]
    if kind in ("number_input", "plain_text_input"):
        return {"type": kind, "value": element.get("initial_value")}
    if kind == "checkboxes":
        return {"type": kind, "selected_options": element.get("initial_options", [])}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": element.get("initial_option")}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": element.get("initial_conversation")}
    raise AssertionError(f"no state for {kind} in the config modal")


def modal_state(view: dict[str, Any]) -> Values:
    """Every input block of ``view`` as submitted untouched: ``{block_id: {"value": state}}``."""
    return {
        block["block_id"]: {VALUE: element_state(block["element"])}
        for block in view["blocks"]
        if block["type"] == "input"
    }


def settings_state(settings: WorkspaceSettings) -> Values:
    """A complete, valid submission that saves ``settings``."""
    return modal_state(settings_view(settings, "en"))


def chosen(value: str) -> dict[str, Any]:
    """A select's or radio group's state with the option ``value`` picked."""
    return {VALUE: {"selected_option": {"value": value}}}


def typed(value: str | None, kind: str = "number_input") -> dict[str, Any]:
    return {VALUE: {"type": kind, "value": value}}


def config_submission(values: Values, user: str = DAVE) -> dict[str, Any]:
    """The modal's view_submission payload, as Slack would send it."""
    return {
        "type": "view_submission",
        "user": {"id": user, "team_id": TEAM},
        "team": {"id": TEAM, "domain": "example"},
        "trigger_id": "1.2.config",
        "view": {
            "id": "V0CONFIG",
            "team_id": TEAM,
            "type": "modal",
            "callback_id": ids.CONFIG_VIEW,
            "private_metadata": "",
            "state": {"values": values},
        },
    }


async def open_config(bot: Bot, user: str = DAVE) -> dict[str, Any]:
    """``/giveback config`` as ``user`` (an admin): the modal it opened."""
    before = len(bot.fake.calls_to("views.open"))
    reply = await bot.sender.command("/giveback", "config", user_id=user)
    assert reply.status == 200 and not reply.text, reply.text
    opened = await bot.fake.wait_for("views.open", count=before + 1)
    return dict(opened[-1].args["view"])


async def submit_config(bot: Bot, values: Values, user: str = DAVE) -> Reply:
    return await bot.sender.interaction(config_submission(values, user))


async def change_settings(bot: Bot, user: str = DAVE, **changes: dict[str, Any]) -> Reply:
    """Open the modal, change ``changes`` (block id -> state), submit; it must be saved."""
    shown = modal_state(await open_config(bot, user))
    assert set(changes) <= set(shown), f"not in the modal: {set(changes) - set(shown)}"
    values = {**shown, **changes}
    reply = await submit_config(bot, values, user)
    assert_saved(reply)
    return reply


def assert_saved(reply: Reply, text: str = "Saved giveback's settings.") -> None:
    """The submission was accepted: the modal turns into the confirmation."""
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["response_action"] == "update", body
    assert text in body["view"]["blocks"][0]["text"]["text"]
