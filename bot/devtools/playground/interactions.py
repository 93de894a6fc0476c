"""Buttons, the App Home, modals and shortcuts: the interactive half of the playground."""

from __future__ import annotations

from typing import Protocol

from bot.devtools.fakeslack import FakeSlack
from bot.devtools.playground import grammar, modals, payloads
from bot.devtools.playground.blocks import Button, Line
from bot.devtools.playground.feed import Feed, Shown
from bot.devtools.playground.outcome import (
    Outcome,
    body_of,
    note,
    problem,
    status_note,
    unsupported,
)
from bot.devtools.playground.world import Person, name_of
from bot.devtools.simulate import SignedSender


class Driver(Protocol):
    """What an interaction needs from the session (``session.Playground`` is one): who is
    acting, the fake Slack and the feed, a way to send, fresh ids, and a wait for the app."""

    @property
    def user(self) -> Person: ...

    @property
    def fake(self) -> FakeSlack: ...

    @property
    def feed(self) -> Feed: ...

    @property
    def sender(self) -> SignedSender: ...

    def trigger(self) -> str:
        """A fresh trigger_id, which the feed links to the acting person's modals."""
        ...

    def ts(self) -> str: ...

    async def settle(self) -> list[Line]:
        """Wait until the app has finished what the request started; render what it did."""
        ...


async def dispatch(pg: Driver, command: grammar.Command) -> Outcome:
    match command:
        case grammar.Press():
            return await press(pg, command)
        case grammar.Home():
            return await home(pg)
        case grammar.Fill():
            return fill(pg, command)
        case grammar.Submit():
            return await submit(pg)
        case grammar.Close():
            return await close(pg)
        case grammar.Shortcut():
            return await shortcut(pg, command)
    raise AssertionError(f"unhandled command {command!r}")


def _not_yours(pg: Driver, shown: Shown) -> str | None:
    """Slack shows ephemeral replies, DMs, home tabs and modals to one person only."""
    owner = shown.viewer
    if shown.kind == "message" and shown.channel:
        owner = pg.fake.dm_owner(shown.channel)
    if owner and owner != pg.user.id:
        return f"Only {name_of(owner)} can see that; `as {name_of(owner)}` first."
    return None


async def press(pg: Driver, command: grammar.Press) -> Outcome:
    target = pg.feed.message(command.message) if command.message else pg.feed.last_with_buttons
    if target is None or not target.buttons:
        where = grammar.message_name(command.message) if command.message else "any message"
        return problem(f"There are no buttons on {where} yet.")
    found = target.buttons
    index = _button_index(found, command.button)
    if index is None:
        labels = " ".join(f"[{i}] {b.label}" for i, b in enumerate(found, 1)) or "none"
        return problem(f"There is no button {_quoted(command.button)} there. Buttons: {labels}")
    if reason := _not_yours(pg, target):
        return problem(reason)
    button = found[index]
    payload = _press_payload(pg, target, button)
    lines = [note(f"{pg.user.name} pressed [{index + 1}] {button.label}")]
    if button.url:
        lines.append(note(f"(in Slack this also opens {button.url})"))
    reply = await pg.sender.interaction(payload)
    if not reply.handled:
        return unsupported(f"Nothing in giveback handles `{button.action_id}` (yet).", lines)
    return Outcome(lines + status_note(reply) + await pg.settle())


def _press_payload(pg: Driver, target: Shown, button: Button) -> payloads.JsonDict:
    """The block_actions payload for ``button`` on ``target``: a view's (home tab, modal), or a
    message's, with a response_url whose replies the feed expects."""
    action_ts = pg.ts()
    if target.kind in ("home", "modal"):
        view = target.view or {}
        return payloads.block_actions(
            pg.user,
            button,
            container={"type": "view", "view_id": view.get("id")},
            trigger_id=pg.trigger(),
            action_ts=action_ts,
            view=view,
        )
    is_message = target.kind == "message"
    channel = target.channel or ""
    url = pg.fake.response_url("act", channel=channel, message_ts=target.ts if is_message else None)
    pg.feed.expect_replies(url, channel, pg.user.id, target)
    return payloads.block_actions(
        pg.user,
        button,
        container={
            "type": "message",
            "message_ts": target.ts or action_ts,
            "channel_id": channel,
            "is_ephemeral": not is_message,
        },
        trigger_id=pg.trigger(),
        action_ts=action_ts,
        channel_id=channel,
        message=target.message if is_message else None,
        response_url=url,
    )


def _button_index(found: list[Button], wanted: int | str) -> int | None:
    if isinstance(wanted, int):
        return wanted - 1 if 1 <= wanted <= len(found) else None
    labels = [b.label.lower() for b in found]
    exact = [i for i, label in enumerate(labels) if label == wanted.lower()]
    partial = [i for i, label in enumerate(labels) if wanted.lower() in label]
    matches = exact or partial
    return matches[0] if matches else None


def _quoted(wanted: int | str) -> str:
    return f"[{wanted}]" if isinstance(wanted, int) else f'"{wanted}"'


async def home(pg: Driver) -> Outcome:
    user = pg.user.id
    published = len(pg.fake.calls_to("views.publish"))
    event = payloads.home_opened_event(
        pg.user, pg.fake.dm_channel(user), pg.fake.home_tabs.get(user), pg.ts()
    )
    pg.feed.watching_home = user
    try:
        reply = await pg.sender.event(event)
        lines = (status_note(reply) if reply.handled else []) + await pg.settle()
    finally:
        pg.feed.watching_home = None
    view = pg.fake.home_tabs.get(user)
    if not reply.handled or view is None:
        return unsupported("giveback has no App Home (yet).", lines)
    if len(pg.fake.calls_to("views.publish")) == published:  # not refreshed: show the last one
        lines += pg.feed.show(
            Shown("home", "", list(view.get("blocks") or []), viewer=user, view=view)
        )
    return Outcome(lines)


def _open_modal(pg: Driver) -> tuple[Shown | None, Outcome | None]:
    modal = pg.feed.modal
    if modal is None or modal.view is None:
        return None, problem("There is no open modal.")
    if reason := _not_yours(pg, modal):
        return None, problem(reason)
    return modal, None


def fill(pg: Driver, command: grammar.Fill) -> Outcome:
    modal, failed = _open_modal(pg)
    if modal is None or modal.view is None:
        return failed or problem("There is no open modal.")
    field = next((f for f in modals.fields(modal.view) if f.number == command.field), None)
    if field is None:
        return problem(f"The modal has no field ({command.field}).")
    try:
        modals.check(field, command.value)
    except modals.FillError as exc:
        return problem(str(exc))
    modal.filled[command.field] = command.value
    return Outcome(modals.render_fields(modal.view, modal.filled))


async def submit(pg: Driver) -> Outcome:
    modal, failed = _open_modal(pg)
    if modal is None or modal.view is None:
        return failed or problem("There is no open modal.")
    values = modals.state_values(modal.view, modal.filled)
    payload = payloads.view_submission(pg.user, modal.view, values, pg.trigger())
    reply = await pg.sender.interaction(payload)
    if not reply.handled:
        return unsupported("Nothing in giveback handles this modal (yet).")
    answer = body_of(reply) if reply.text else {}
    action = answer.get("response_action") if isinstance(answer, dict) else None
    lines = status_note(reply)
    if action == "errors":
        numbers = {f.block_id: f.number for f in modals.fields(modal.view)}
        for block_id, message in (answer.get("errors") or {}).items():
            lines.append(Line(f"  ({numbers.get(block_id, '?')}) {message}", "red"))
        return Outcome(lines)
    if action in ("update", "push") and isinstance(answer.get("view"), dict):
        view = {**modal.view, **answer["view"]}
        pg.feed.modal = Shown(
            "modal", "", list(view.get("blocks") or []), viewer=pg.user.id, view=view
        )
        lines += pg.feed.show(pg.feed.modal)
    else:
        pg.feed.modal = None
        lines.append(note("(the modal closed)"))
    return Outcome(lines + await pg.settle())


async def close(pg: Driver) -> Outcome:
    modal, failed = _open_modal(pg)
    if modal is None or modal.view is None:
        return failed or problem("There is no open modal.")
    pg.feed.modal = None
    lines = [note("(the modal closed)")]
    if modal.view.get("notify_on_close"):
        reply = await pg.sender.interaction(payloads.view_closed(pg.user, modal.view))
        lines += status_note(reply) if reply.handled else []
        lines += await pg.settle()
    return Outcome(lines)


async def shortcut(pg: Driver, command: grammar.Shortcut) -> Outcome:
    if command.message is None:
        payload = payloads.shortcut(pg.user, command.callback_id, pg.trigger(), pg.ts())
    else:
        target = pg.feed.message(command.message)
        if target is None or target.ts is None:
            return problem(grammar.no_such_message(command.message))
        if reason := _not_yours(pg, target):
            return problem(reason)
        channel = target.channel or ""
        url = pg.fake.response_url("shortcut", channel=channel)
        pg.feed.expect_replies(url, channel, pg.user.id, None)
        payload = payloads.message_action(
            pg.user,
            command.callback_id,
            channel_id=channel,
            message=target.message,
            trigger_id=pg.trigger(),
            response_url=url,
            action_ts=pg.ts(),
        )
    reply = await pg.sender.interaction(payload)
    if not reply.handled:
        return unsupported(f"giveback has no shortcut `{command.callback_id}` (yet).")
    return Outcome(status_note(reply) + await pg.settle())
