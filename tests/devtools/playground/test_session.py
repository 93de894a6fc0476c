"""Every playground command, end to end: typed line → signed request → the real app → screen.

Features not on this branch (buttons, modals, App Home, reactions, shortcuts) are exercised
through small listeners registered on the real app by the test, so what is checked is the
playground's side: the payload Slack would send, and how the answer is shown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.devtools.playground.blocks import Line
from bot.devtools.playground.clock import FakeClock
from bot.devtools.playground.outcome import Outcome
from bot.devtools.playground.session import Playground
from bot.services.deps import Deps
from tests.support.contracts import check_blocks, check_view, check_web_api_call


@pytest.fixture
async def pg(tmp_path: Path) -> AsyncIterator[Playground]:
    async with Playground(database=str(tmp_path / "pg.db"), clock=FakeClock()) as playground:
        yield playground
    for call in playground.fake.calls:  # what the app sent must be what Slack accepts
        if call.method != "response_url":
            check_web_api_call(call.method, call.args)
        check_blocks(call.args.get("blocks"))
        if isinstance(call.args.get("view"), dict):
            check_view(call.args["view"])


def shown(outcome: Outcome) -> str:
    return "".join(line.text + "\n" for line in outcome.lines)


async def test_slash_command_thanks_is_recorded_and_announced(pg: Playground) -> None:
    out = shown(await pg.run("/thanks @bob for the review"))
    assert "#1 giveback in #general" in out
    assert "🙌 @alice thanked @bob: the review" in out
    [event] = [e async for e in pg.deps.store.events.export(team_id="T0001")]
    assert (event.giver_id, event.receiver_id, event.note) == ("UBOB", "UALICE", "the review")


async def test_slash_command_ack_is_shown_as_ephemeral_to_the_invoker(pg: Playground) -> None:
    out = shown(await pg.run("/thanks for everything"))
    assert "only visible to alice" in out and "Who helped you?" in out
    assert "#1" not in out  # an ephemeral reply is not a channel message


async def test_unknown_slash_command_says_the_app_lacks_it(pg: Playground) -> None:
    outcome = await pg.run("/nope do something")
    assert not outcome.supported
    assert "giveback has no /nope command" in shown(outcome)


async def test_mention_posts_the_message_and_the_bot_answers_in_its_thread(pg: Playground) -> None:
    out = shown(await pg.run("@giveback thanks @carol for pairing"))
    assert "#1 alice in #general\n    @giveback thanks @carol for pairing" in out
    assert "#2 giveback in #general, in the thread of #1" in out
    assert "@alice thanked @carol: pairing" in out


async def test_say_posts_a_plain_message_and_sends_the_message_event(pg: Playground) -> None:
    seen: list[dict[str, Any]] = []

    async def record(body: dict[str, Any], next: Any) -> None:
        if body.get("event", {}).get("type") == "message":
            seen.append(body["event"])
        await next()

    pg.app.use(record)  # watch what arrives, whoever in the app handles it
    out = shown(await pg.run("say the build is green, thanks @bob"))
    assert "#1 alice in #general\n    the build is green, thanks @bob" in out
    assert seen and seen[0]["text"] == "the build is green, thanks <@UBOB>"
    assert seen[0]["channel_type"] == "channel" and seen[0]["user"] == "UALICE"


async def test_reaction_is_sent_for_the_numbered_message_with_its_author(pg: Playground) -> None:
    seen: list[dict[str, Any]] = []

    async def record(body: dict[str, Any], next: Any) -> None:
        if body.get("event", {}).get("type") == "reaction_added":
            seen.append(body["event"])
        await next()

    pg.app.use(record)
    await pg.run("as bob")
    await pg.run("say the keys are in the vault")
    await pg.run("as alice")
    out = shown(await pg.run(":raised_hands: on 1"))
    assert "alice reacted 🙌 to #1" in out
    [event] = seen
    assert event["reaction"] == "raised_hands" and event["user"] == "UALICE"
    assert event["item_user"] == "UBOB" and event["item"]["channel"] == "C0001"
    assert event["item"]["ts"] == pg.fake.messages["C0001"][0]["ts"]
    # The real app counts a thank-you reaction as thanks to the message's author.
    assert "#2 giveback in #general, in the thread of #1" in out
    [thanks] = [e async for e in pg.deps.store.events.export(team_id="T0001")]
    assert (thanks.giver_id, thanks.receiver_id, thanks.source) == ("UBOB", "UALICE", "reaction")


async def test_reaction_on_a_missing_message_is_explained(pg: Playground) -> None:
    outcome = await pg.run(":tada: on 4")
    assert outcome.failed and "no message #4" in shown(outcome)
    assert "There are no messages yet." in shown(await pg.run(":tada: on last"))


def register_buttons(app: AsyncApp, pressed: list[dict[str, Any]]) -> None:
    async def demo(ack: AsyncAck, respond: AsyncRespond) -> None:
        await ack()
        await respond(
            response_type="in_channel",
            text="Pick one",
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": "*Pick* one"}},
                {
                    "type": "actions",
                    "block_id": "choices",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "approve",
                            "value": "42",
                            "text": {"type": "plain_text", "text": "Approve"},
                        },
                        {
                            "type": "button",
                            "action_id": "docs",
                            "url": "https://example.com/docs",
                            "text": {"type": "plain_text", "text": "Read the docs"},
                        },
                    ],
                },
            ],
        )

    async def approve(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        pressed.append(body)
        await respond(replace_original=True, text=f"Approved by <@{body['user']['id']}>")

    app.command("/demo")(demo)
    app.action("approve")(approve)


async def test_press_sends_block_actions_and_shows_the_replaced_message(pg: Playground) -> None:
    pressed: list[dict[str, Any]] = []
    register_buttons(pg.app, pressed)
    out = shown(await pg.run("/demo"))
    assert "#1 giveback in #general" in out and "[1] Approve  [2] Read the docs ↗" in out
    out = shown(await pg.run("press 1"))
    [body] = pressed
    action = body["actions"][0]
    assert (action["action_id"], action["block_id"], action["value"]) == (
        "approve",
        "choices",
        "42",
    )
    assert body["container"]["message_ts"] == body["message"]["ts"]
    assert body["channel"]["id"] == "C0001" and body["user"]["id"] == "UALICE"
    assert "alice pressed [1] Approve" in out
    assert "#1 giveback in #general (edited)\n    Approved by @alice" in out
    assert pg.fake.messages["C0001"][0]["text"] == "Approved by <@UALICE>"


async def test_press_by_label_and_on_a_given_message(pg: Playground) -> None:
    pressed: list[dict[str, Any]] = []
    register_buttons(pg.app, pressed)
    await pg.run("/demo")
    await pg.run("say unrelated")
    assert "There is no button [3] there" in shown(await pg.run("press 3 on 1"))
    assert "no buttons on message #2" in shown(await pg.run("press 1 on 2"))
    assert "pressed [1] Approve" in shown(await pg.run("press approve on 1"))
    assert len(pressed) == 1
    # Replaced by a text-only message: its buttons are gone, as in Slack.
    assert "no buttons on message #1" in shown(await pg.run("press approve on 1"))


async def test_press_a_button_nobody_handles_says_so(pg: Playground) -> None:
    register_buttons(pg.app, [])
    await pg.run("/demo")
    outcome = await pg.run("press Read the docs")
    assert not outcome.supported
    assert "opens https://example.com/docs" in shown(outcome) and "`docs`" in shown(outcome)


async def test_nothing_to_press_is_explained(pg: Playground) -> None:
    outcome = await pg.run("press 1")
    assert outcome.failed and "no buttons" in shown(outcome)


async def test_home_renders_the_app_home_and_its_buttons_and_modals_work(
    pg: Playground,
) -> None:
    out = shown(await pg.run("home"))
    assert "alice's App Home\n    ━━ Your giveback ━━" in out
    assert "[1] Thank someone" in out and "UALICE" in pg.fake.home_tabs
    out = shown(await pg.run("press Thank someone"))
    assert 'Modal "Thank someone" for alice (fill N TEXT · submit · close)' in out
    await pg.run("fill 1 @dave")
    await pg.run("fill 2 the quarterly report")
    await pg.run("submit")
    [event] = [e async for e in pg.deps.store.events.export(team_id="T0001")]
    assert (event.giver_id, event.receiver_id, event.note) == (
        "UDAVE",
        "UALICE",
        "the quarterly report",
    )
    await pg.run("home")
    await pg.run("as bob")
    assert "Only alice can see that" in shown(await pg.run("press 1"))


def register_modal(app: AsyncApp, submitted: list[dict[str, Any]]) -> None:
    async def open_modal(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "ask_modal",
                "notify_on_close": True,
                "title": {"type": "plain_text", "text": "Ask for help"},
                "submit": {"type": "plain_text", "text": "Ask"},
                "blocks": [
                    _input("topic", "What do you need?", {"type": "plain_text_input"}),
                    _input(
                        "size",
                        "How big?",
                        {
                            "type": "static_select",
                            "options": [_option("Quick question", "s"), _option("Pairing", "l")],
                        },
                    ),
                    _input("who", "Whom to ask", {"type": "users_select"}),
                ],
            },
        )

    async def on_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        values = body["view"]["state"]["values"]
        if values["topic"]["topic"]["value"] == "x":
            await ack(response_action="errors", errors={"topic": "Say a little more"})
            return
        await ack()
        submitted.append(values)
        who = values["who"]["who"]["selected_user"]
        await client.chat_postMessage(channel=who, text=f"<@{body['user']['id']}> needs you")

    async def on_close(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        submitted.append({"closed": body["view"]["callback_id"]})

    app.command("/askmodal")(open_modal)
    app.view("ask_modal")(on_submit)
    app.view_closed("ask_modal")(on_close)


def _input(block_id: str, label: str, element: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": block_id},
    }


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


async def test_modal_fill_and_submit_sends_view_submission(pg: Playground) -> None:
    submitted: list[dict[str, Any]] = []
    register_modal(pg.app, submitted)
    out = shown(await pg.run("/askmodal"))
    assert 'Modal "Ask for help" for alice' in out
    assert "(1) What do you need?: …" in out and "choices: Quick question, Pairing" in out
    assert "Rotate the keys" in shown(await pg.run("fill 1 Rotate the keys"))
    assert "not one of: Quick question, Pairing" in shown(await pg.run("fill 2 huge"))
    await pg.run("fill 2 pairing")
    assert "nobody here is called `zed`" in shown(await pg.run("fill 3 @zed"))
    await pg.run("fill 3 @bob")
    out = shown(await pg.run("submit"))
    [values] = submitted
    assert values["topic"]["topic"] == {"type": "plain_text_input", "value": "Rotate the keys"}
    assert values["size"]["size"]["selected_option"]["value"] == "l"
    assert values["who"]["who"]["selected_user"] == "UBOB"
    assert "(the modal closed)" in out
    assert "#1 giveback → DM to bob\n    @alice needs you" in out
    assert pg.feed.modal is None


async def test_modal_errors_keep_it_open_and_close_notifies(pg: Playground) -> None:
    submitted: list[dict[str, Any]] = []
    register_modal(pg.app, submitted)
    await pg.run("/askmodal")
    await pg.run("fill 1 x")
    assert "(1) Say a little more" in shown(await pg.run("submit"))
    assert pg.feed.modal is not None and submitted == []
    await pg.run("as bob")
    assert "Only alice can see that" in shown(await pg.run("submit"))
    await pg.run("as alice")
    assert "(the modal closed)" in shown(await pg.run("close"))
    assert submitted == [{"closed": "ask_modal"}]
    assert "no open modal" in shown(await pg.run("submit"))
    assert "no open modal" in shown(await pg.run("fill 1 y"))


async def test_shortcuts_global_and_on_a_message(pg: Playground) -> None:
    seen: list[dict[str, Any]] = []

    async def handle(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        seen.append(body)
        if body["type"] == "message_action":
            await respond(text="Logged your thanks privately")

    pg.app.shortcut("log_thanks")(handle)
    await pg.run("as bob")
    await pg.run("say here is the fix")
    await pg.run("as alice")
    out = shown(await pg.run("shortcut log_thanks on last"))
    assert "only visible to alice" in out and "Logged your thanks privately" in out
    await pg.run("shortcut log_thanks")
    message_action, global_shortcut = seen
    assert message_action["type"] == "message_action"
    assert (
        message_action["message"]["user"] == "UBOB" and message_action["channel"]["id"] == "C0001"
    )
    assert global_shortcut["type"] == "shortcut" and "message" not in global_shortcut
    outcome = await pg.run("shortcut unknown_one")
    assert not outcome.supported and "no shortcut `unknown_one`" in shown(outcome)


async def test_as_switches_person_and_refuses_strangers(pg: Playground) -> None:
    assert "You are carol now" in shown(await pg.run("as carol"))
    assert pg.user.id == "UCAROL"
    out = shown(await pg.run("/thanks @alice for lunch"))
    assert "@carol thanked @alice: lunch" in out
    outcome = await pg.run("as zed")
    assert outcome.failed and "nobody called `zed`" in shown(outcome)
    assert pg.user.id == "UCAROL"


async def test_time_moves_the_clock_and_runs_scheduler_hooks_on_the_way(tmp_path: Path) -> None:
    ran: list[datetime] = []

    async def sweep(deps: Deps, client: AsyncWebClient, now: datetime) -> None:
        ran.append(now)
        assert deps.clock() == now  # the app sees the moved clock too
        if len(ran) == 2:
            await client.chat_postMessage(channel="UBOB", text="Time to give back")

    clock = FakeClock()  # Mon 23 Nov 2026 15:00 UTC
    start = clock()
    hourly = timedelta(hours=1)
    db = str(tmp_path / "t.db")
    async with Playground(database=db, clock=clock, hooks=[sweep], every=hourly) as pg:
        out = shown(await pg.run("time +2h30m"))
        assert ran == [start + timedelta(hours=1), start + timedelta(hours=2)]
        assert clock() - start == timedelta(hours=2, minutes=30)
        assert "→ Mon 23 Nov 2026 17:30 UTC" in out
        # Messages sent while the clock moves say when they arrived, in the reader's time.
        assert "#1 giveback → DM to bob · Mon 23 Nov 17:00 bob's time\n    Time to give back" in out
        assert "It is Mon 23 Nov 2026 17:30 UTC" in shown(await pg.run("time"))


async def test_a_failing_scheduled_job_is_reported_not_raised(tmp_path: Path) -> None:
    async def broken(deps: Deps, client: AsyncWebClient, now: datetime) -> None:
        raise RuntimeError("digest exploded")

    async with Playground(database=str(tmp_path / "t.db"), hooks=[broken]) as pg:
        out = shown(await pg.run("time +1h"))
    assert "A scheduled job failed: digest exploded" in out


async def test_help_quit_and_comments(pg: Playground) -> None:
    out = shown(await pg.run("help"))
    assert "/thanks @bob for the review" in out and "time +7d" in out and "You are alice" in out
    assert (await pg.run("quit")).quit
    assert (await pg.run("# just narration")).lines == []


@pytest.mark.parametrize(
    "line",
    [
        "frobnicate",
        "press",
        "press 0",
        "press 99",
        "press banana",
        ":tada: on 999",
        ":tada:",
        "time -3d",
        "time +",
        "/",
        "as",
        "fill",
        "fill 1 x",
        "submit",
        "close",
        "shortcut",
        "shortcut x on 7",
        "say",
        "\x00\x1b[31m",
        "@" * 500,
        "日本語で話す",
    ],
)
async def test_malformed_input_gets_help_never_a_traceback(pg: Playground, line: str) -> None:
    outcome = await pg.run(line)
    out = shown(outcome)
    assert outcome.lines and "Traceback" not in out
    assert "You can type:" in out or "Type `help`" in out


async def test_a_failure_inside_the_playground_is_a_message(
    pg: Playground, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionResetError("the app went away")

    monkeypatch.setattr(pg.sender, "command", broken)
    out = shown(await pg.run("/thanks @bob"))
    assert "That did not work: ConnectionResetError: the app went away" in out
    assert "Traceback" not in out


def test_lines_have_no_ansi_codes() -> None:
    assert "\x1b" not in Line("plain", "bold red").text
