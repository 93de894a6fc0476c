"""The fake Slack answers the real slack_sdk clients the way Slack does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.devtools.fakeslack import FakeSlack

NOW = 1_700_000_000.0  # 2023-11-14 22:13 UTC, standard time in New York


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(clock=lambda: NOW) as server:
        yield server


def client(fake: FakeSlack, **kwargs: Any) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=fake.api_url, **kwargs)


async def test_parses_json_form_and_query_args(fake: FakeSlack) -> None:
    web = client(fake)
    await web.chat_postMessage(channel="C1", text="hi", blocks=[{"type": "divider"}])
    await web.conversations_open(users="U1")  # form post (query string on a POST)
    await web.users_list(limit=5)  # GET query string
    await web.api_call(
        "chat.postEphemeral",
        data={
            "channel": "C1",
            "user": "U1",
            "text": "psst",
            "blocks": json.dumps([{"type": "divider"}]),
        },
    )

    post, opened, listed, ephemeral = fake.calls
    assert post.args == {"channel": "C1", "text": "hi", "blocks": [{"type": "divider"}]}
    assert post.token == "xoxb-test" and post.method == "chat.postMessage"
    assert opened.args == {"users": "U1"}
    assert listed.args == {"limit": "5"}
    assert ephemeral.args["blocks"] == [{"type": "divider"}]  # JSON string in a form decoded


async def test_auth_test_and_users_info(fake: FakeSlack) -> None:
    fake.add_user("U1", "ada", tz="Europe/Paris")
    web = client(fake)

    auth = await web.auth_test()
    assert (auth["team_id"], auth["user_id"], auth["bot_id"]) == ("T0001", "UBOT", "B0001")

    user = (await web.users_info(user="U1", include_locale=True))["user"]
    assert user["id"] == "U1" and user["team_id"] == "T0001" and user["name"] == "ada"
    assert (user["tz"], user["tz_offset"], user["locale"]) == ("Europe/Paris", 3600, "en-US")
    assert user["profile"]["display_name"] == "ada" and user["is_bot"] is False
    assert "locale" not in (await web.users_info(user="U1"))["user"]
    slackbot = (await web.users_info(user="USLACKBOT"))["user"]
    assert slackbot["id"] == "USLACKBOT" and slackbot["is_bot"] is False

    with pytest.raises(SlackApiError) as err:
        await web.users_info(user="UNOBODY")
    assert err.value.response["error"] == "user_not_found"


async def test_post_message_then_history_with_metadata(fake: FakeSlack) -> None:
    web = client(fake)
    metadata = {"event_type": "kudos", "event_payload": {"id": 7}}
    first = await web.chat_postMessage(channel="U1", text="one", metadata=metadata)
    second = await web.chat_postMessage(channel="U1", text="two")
    dm = (await web.conversations_open(users="U1"))["channel"]["id"]

    assert first["channel"] == second["channel"] == dm == fake.dm_channel("U1")
    assert first["ts"] == "1700000000.000000" and second["ts"] == "1700000000.000001"
    history = await web.conversations_history(channel=dm, limit=10, include_all_metadata=True)
    assert [m["text"] for m in history["messages"]] == ["two", "one"]
    assert history["messages"][1]["metadata"] == metadata
    assert "metadata" not in history["messages"][0]
    older = await web.conversations_history(channel=dm, latest=second["ts"])
    assert [m["text"] for m in older["messages"]] == ["one"]

    await web.chat_update(channel=dm, ts=first["ts"], text="uno")
    await web.chat_delete(channel=dm, ts=second["ts"])
    assert [m["text"] for m in fake.messages[dm]] == ["uno"]
    link = await web.chat_getPermalink(channel=dm, message_ts=first["ts"])
    assert link["permalink"] == f"https://fake.slack.com/archives/{dm}/p1700000000000000"


async def test_history_pages_newest_first_with_metadata_only_on_request(fake: FakeSlack) -> None:
    web = client(fake)
    metadata = {"event_type": "kudos", "event_payload": {"n": 0}}
    for n in range(5):
        await web.chat_postMessage(channel="C1", text=str(n), metadata=metadata)

    plain = await web.conversations_history(channel="C1", limit=2)
    assert [m["text"] for m in plain["messages"]] == ["4", "3"]
    assert plain["has_more"] and not any("metadata" in m for m in plain["messages"])
    texts, cursor = [], None
    while True:
        page = await web.conversations_history(
            channel="C1", limit=2, cursor=cursor, include_all_metadata=True
        )
        texts += [m["text"] for m in page["messages"]]
        assert all(m["metadata"] == metadata for m in page["messages"])
        cursor = page["response_metadata"]["next_cursor"]
        if not page["has_more"]:
            break
    assert texts == ["4", "3", "2", "1", "0"] and cursor == ""


async def test_views_keep_their_id(fake: FakeSlack) -> None:
    web = client(fake)
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    first = (await web.views_publish(user_id="U1", view=home))["view"]
    again = (await web.views_publish(user_id="U1", view=home, hash=first["hash"]))["view"]
    assert again["id"] == first["id"] and fake.home_tabs["U1"]["type"] == "home"
    with pytest.raises(SlackApiError, match="hash_conflict"):
        await web.views_publish(user_id="U1", view=home, hash=first["hash"])

    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": []}
    opened = (await web.views_open(trigger_id="1.2.x", view=modal))["view"]
    updated = (await web.views_update(view_id=opened["id"], view=modal))["view"]
    assert updated["id"] == opened["id"] and updated["title"]["text"] == "Hi"


async def test_rate_limit_is_retried_after_retry_after(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=1)
    web = client(fake, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)])

    response = await web.chat_postMessage(channel="C1", text="hi")

    assert response["ok"] and response.status_code == 200
    assert [c.failed for c in fake.calls_to("chat.postMessage")] == [True, False]
    assert len(fake.messages["C1"]) == 1


async def test_server_error_is_retried(fake: FakeSlack) -> None:
    fake.fail("users.info", status=500)
    fake.add_user("U1", "ada")
    quick = FixedValueRetryIntervalCalculator(fixed_internal=0.01)
    web = client(fake, retry_handlers=[AsyncServerErrorRetryHandler(interval_calculator=quick)])

    assert (await web.users_info(user="U1"))["user"]["id"] == "U1"
    assert [c.failed for c in fake.calls] == [True, False]


async def test_failures_without_retry_raise(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", error="channel_not_found")
    fake.fail("conversations.open", status=503, times=2)
    web = client(fake, retry_handlers=[])

    with pytest.raises(SlackApiError) as err:
        await web.chat_postMessage(channel="C1", text="hi")
    assert err.value.response.status_code == 200
    assert err.value.response["error"] == "channel_not_found"
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            await web.conversations_open(users="U1")
        assert err.value.response.status_code == 503
    assert (await web.conversations_open(users="U1"))["ok"]
    assert "C1" not in fake.messages
    assert [c.failed for c in fake.calls] == [True, True, True, False]


async def test_hang_times_out_the_client_but_is_processed(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", hang=0.3)
    web = client(fake, timeout=0.1, retry_handlers=[])

    with pytest.raises(asyncio.TimeoutError):
        await web.chat_postMessage(channel="C1", text="hi")
    await asyncio.sleep(0.3)
    assert len(fake.messages["C1"]) == 1  # Slack posted it although the client gave up


async def test_slow_answers_late_after_the_call_took_effect(fake: FakeSlack) -> None:
    fake.slow("chat.postMessage", 5)
    web = client(fake, timeout=0.1, retry_handlers=[])

    with pytest.raises(asyncio.TimeoutError):
        await web.chat_postMessage(channel="C1", text="hi")
    assert len(fake.messages["C1"]) == 1  # posted at once; only the answer was late
    fake.slow("chat.postMessage", 0)
    assert (await web.chat_postMessage(channel="C1", text="again"))["ok"]


async def test_a_dropped_connection_after_the_post_leaves_the_client_guessing(
    fake: FakeSlack,
) -> None:
    fake.fail("chat.postMessage", drop=True)
    web = client(fake, retry_handlers=[])

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await web.chat_postMessage(channel="C1", text="hi")
    assert [m["text"] for m in fake.messages["C1"]] == ["hi"]  # yet it was posted
    assert (await web.chat_postMessage(channel="C1", text="next"))["ok"]


async def test_channel_rate_limit(fake: FakeSlack) -> None:
    fake.limit_channel_rate(per_second=1, burst=2)
    web = client(fake, retry_handlers=[])

    await web.chat_postMessage(channel="C1", text="1")
    await web.chat_postMessage(channel="C1", text="2")
    await web.chat_postMessage(channel="C2", text="other channel")
    with pytest.raises(SlackApiError) as err:
        await web.chat_postMessage(channel="C1", text="3")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"


async def test_response_url_and_wait_for(fake: FakeSlack) -> None:
    url = fake.response_url("cmd")
    assert url != fake.response_url("cmd")

    response = await AsyncWebhookClient(url).send(text="done", replace_original=True)

    assert response.status_code == 200
    (call,) = await fake.wait_for("response_url")
    assert call.args == {"text": "done", "replace_original": True}
    assert call.url == aiohttp.client.URL(url).path and call.token is None
    with pytest.raises(AssertionError, match=r"methods seen: \['response_url'\]"):
        await fake.wait_for("chat.postMessage", timeout=0.05)


async def test_unknown_methods_and_tokens(fake: FakeSlack) -> None:
    assert (await client(fake).api_call("bookmarks.add", params={"x": "1"}))["ok"]
    assert fake.calls_to("bookmarks.add")[0].args == {"x": "1"}
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        await client(fake).apps_connections_open(app_token="xoxb-test")


async def test_socket_mode_round_trip(fake: FakeSlack) -> None:
    web = AsyncWebClient(base_url=fake.api_url)
    socket = SocketModeClient(app_token="xapp-1-test", web_client=web, ping_interval=0.5)

    async def on_request(sm: SocketModeClient, request: SocketModeRequest) -> None:
        ack = SocketModeResponse(request.envelope_id, payload={"text": request.payload["text"]})
        await sm.send_socket_mode_response(ack)

    socket.socket_mode_request_listeners.append(on_request)
    try:
        await socket.connect()
        await fake.wait_for_socket()
        envelope = {
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "command": "/thanks",
                "text": "<@U1> for the review",
                "response_url": fake.response_url(),
            },
        }
        ack = await fake.push_envelope(envelope)
    finally:
        await socket.close()

    assert ack["envelope_id"] == fake.socket.received[-1]["envelope_id"]
    assert ack["payload"] == {"text": "<@U1> for the review"}
    assert fake.calls_to("apps.connections.open")[0].token == "xapp-1-test"


async def test_response_urls_with_a_channel_behave_like_slacks(fake: FakeSlack) -> None:
    person = fake.add_message("C1", "U1", "can someone review?")
    assert fake.messages["C1"][0]["user"] == "U1" and "bot_id" not in person
    hook = AsyncWebhookClient(fake.response_url("cmd", channel="C1"))
    await hook.send(text="public answer", response_type="in_channel")
    await hook.send(text="just for you")  # ephemeral: never stored
    posted = fake.messages["C1"][1]
    assert posted["text"] == "public answer" and posted["bot_id"] == fake.bot_id
    assert fake.calls[-2].result == {"channel": "C1", "ts": posted["ts"], "message": posted}
    assert fake.calls[-1].result is None and len(fake.messages["C1"]) == 2

    button = AsyncWebhookClient(fake.response_url("act", channel="C1", message_ts=posted["ts"]))
    await button.send(text="replaced", replace_original=True)
    assert fake.messages["C1"][1]["text"] == "replaced" and "blocks" not in posted
    await button.send(text="", delete_original=True)
    assert [m["text"] for m in fake.messages["C1"]] == ["can someone review?"]


async def test_response_urls_without_a_channel_only_record(fake: FakeSlack) -> None:
    await AsyncWebhookClient(fake.response_url()).send(text="hi", response_type="in_channel")
    assert fake.messages == {} and fake.calls[-1].result is None


async def test_calls_keep_the_answer_and_dms_know_their_owner(fake: FakeSlack) -> None:
    posted = await client(fake).chat_postMessage(channel="U7", text="psst")
    [call] = fake.calls_to("chat.postMessage")
    assert call.result is not None and call.result["ts"] == posted["ts"]
    assert fake.dm_owner(posted["channel"]) == "U7" and fake.dm_owner("C1") is None


async def test_method_rate_limit_is_workspace_wide(fake: FakeSlack) -> None:
    fake.limit_method_rate("conversations.open", per_second=1, burst=2)
    web = client(fake, retry_handlers=[])

    await web.conversations_open(users="U1")
    await web.conversations_open(users="U2")
    await web.chat_postMessage(channel="C1", text="other methods are not limited")
    with pytest.raises(SlackApiError) as err:
        await web.conversations_open(users="U3")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"
