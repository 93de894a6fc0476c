"""The fake's HTTP server: routes, the call recorder, injected failures and test helpers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.devtools.fakeslack.calls import Call, parse_args
from bot.devtools.fakeslack.faults import Delay, Failure, Faults, status_response
from bot.devtools.fakeslack.oauth import FakeOAuth, client_credentials
from bot.devtools.fakeslack.response_urls import ResponseTarget, apply_response
from bot.devtools.fakeslack.socket_mode import SocketLink
from bot.devtools.fakeslack.web_api import METHODS, err
from bot.devtools.fakeslack.workspace import FakeUser, JsonDict, Workspace


class FakeSlack:
    def __init__(
        self,
        *,
        team_id: str = "T0001",
        bot_user_id: str = "UBOT",
        bot_id: str = "B0001",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.workspace = Workspace(team_id, bot_user_id, bot_id, "A0001", clock)
        self.calls: list[Call] = []
        self.socket = SocketLink(self.app_id)
        self.oauth = FakeOAuth(app_id=self.app_id, bot_user_id=bot_user_id)
        self._faults = Faults()
        self._response_targets: dict[str, ResponseTarget] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._stopping = asyncio.Event()
        self.add_user("USLACKBOT", "slackbot", real_name="Slackbot", tz="America/Los_Angeles")
        self.add_user(bot_user_id, "giveback", is_bot=True)

    # ---- the workspace, as attributes ------------------------------------------------------

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def bot_user_id(self) -> str:
        return self.workspace.bot_user_id

    @property
    def bot_id(self) -> str:
        return self.workspace.bot_id

    @property
    def app_id(self) -> str:
        return self.workspace.app_id

    @property
    def messages(self) -> dict[str, list[JsonDict]]:  # channel id -> messages, oldest first
        return self.workspace.messages

    @property
    def users(self) -> dict[str, FakeUser]:
        return self.workspace.users

    @property
    def views(self) -> dict[str, JsonDict]:  # view id -> latest version
        return self.workspace.views

    @property
    def home_tabs(self) -> dict[str, JsonDict]:  # user id -> published home view
        return self.workspace.home_tabs

    @property
    def clock(self) -> Callable[[], float]:
        return self.workspace.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.workspace.clock = clock

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{name}", self._handle_response_url)
        app.router.add_get("/link", self.socket.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._stopping.set()
        await self.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(
        self, name: str = "r", *, channel: str | None = None, message_ts: str | None = None
    ) -> str:
        """A fresh response URL; with ``channel`` its posts land in ``messages`` as Slack's do."""
        path = f"/response/{name}-{next(self.workspace.ids)}"
        if channel is not None:
            self._response_targets[path] = ResponseTarget(channel, message_ts)
        return self.base_url + path

    # ---- test helpers ----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Poll until `count` calls to `method` (failed ones included) were recorded."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(found := self.calls_to(method)) < count:
            if asyncio.get_running_loop().time() >= deadline:
                seen = sorted({c.method for c in self.calls})
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, "
                    f"got {len(found)}; methods seen: {seen}"
                )
            await asyncio.sleep(0.01)
        return found

    async def wait_for_socket(self, timeout: float = 5.0) -> None:
        await self.socket.wait_connected(timeout)

    async def push_envelope(self, envelope: JsonDict, timeout: float = 5.0) -> JsonDict:
        return await self.socket.push(envelope, timeout)

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        is_bot: bool = False,
        tz: str = "America/New_York",
        tz_offset: int | None = None,
        locale: str = "en-US",
        is_admin: bool = False,
        is_owner: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
        real_name: str | None = None,
    ) -> None:
        user = FakeUser(
            user_id,
            name,
            team_id or self.team_id,
            real_name or name,
            is_bot,
            tz,
            tz_offset,
            locale,
            is_admin,
            is_owner,
            deleted,
        )
        self.workspace.add_user(user)

    def dm_channel(self, user_id: str) -> str:
        """The stable D… channel id that conversations.open returns for `user_id`."""
        return self.workspace.dm_channel(user_id)

    def dm_owner(self, channel: str) -> str | None:
        """The person whose DM with the bot ``channel`` is, if it is one."""
        return self.workspace.dm_owner(channel)

    def add_message(self, channel: str, user: str, text: str, **fields: Any) -> JsonDict:
        """Put a message into a channel's history, as a person (or the bot) posting it."""
        return self.workspace.add_message(channel, user, text, **fields)

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: int | None = None,
        error: str | None = None,
        hang: float | None = None,
        drop: bool = False,
    ) -> None:
        """Make the next `times` calls to `method` (or "response_url") misbehave.

        ``drop``: the call takes effect, then the connection closes unanswered (a network
        failure on the way back: the client cannot tell whether anything happened).
        """
        status = 429 if retry_after is not None else status
        self._faults.add(method, Failure(status, times, retry_after, error, hang, drop))

    def slow(self, method: str, seconds: float, *, applied: bool = True, after: int = 0) -> None:
        """Answer every call to `method` `seconds` late from now on (0: on time again).

        ``applied``: the call takes effect at once and only its answer is late, so a client
        that dies meanwhile never learns that, say, its message was posted.
        ``after``: the first ``after`` calls to `method` (counted from the fake's start) are
        answered on time, so a test can let exactly that many through before the delay.
        """
        if seconds <= 0:
            self._faults.delays.pop(method, None)
        else:
            self._faults.delays[method] = Delay(seconds, applied, after)

    def limit_channel_rate(self, per_second: float, burst: int) -> None:
        """Token-bucket chat.postMessage per channel, answering 429 beyond it."""
        self._faults.limit(per_second, burst)

    def limit_method_rate(self, method: str, per_second: float, burst: int) -> None:
        """Token-bucket every call to ``method`` (a tier's workspace-wide limit), 429 beyond it."""
        self._faults.limit_method(method, per_second, burst)

    # ---- HTTP handlers ---------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args, token = await parse_args(request)
        if method == "oauth.v2.access":
            args.update(client_credentials(request.headers.get("Authorization", "")))
        return await self._serve(
            Call(method, args, token), lambda: self._dispatch(method, args, token), request
        )

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        raw = await request.text()
        body = json.loads(raw) if raw.strip() else {}
        call = Call("response_url", body, None, url=request.path)
        response = await self._serve(call, lambda: {"ok": True}, request)
        target = self._response_targets.get(request.path)
        if target is not None and not call.failed:
            call.result = apply_response(self.workspace, target, body)
        else:
            call.result = None  # for response URLs: the message posted or changed, if any
        return response

    async def _serve(
        self, call: Call, answer: Callable[[], JsonDict], request: web.Request
    ) -> web.Response:
        self.calls.append(call)
        failure = self._faults.take(call.method)
        if failure is not None and failure.drop:
            call.result = answer()
            assert request.transport is not None
            request.transport.close()
            return web.Response()  # never reaches the client
        if failure is not None:
            call.failed = failure.error is not None or failure.hang is None
            if failure.hang is not None:
                await self._pause(failure.hang)
            if failure.error is not None:
                return web.json_response(err(failure.error))
            if failure.hang is None:
                return status_response(failure.status, failure.retry_after)
        elif (retry_after := self._rate_limited(call)) is not None:
            call.failed = True
            return status_response(429, retry_after)
        delay = self._faults.delays.get(call.method)
        if delay is not None and len(self.calls_to(call.method)) <= delay.after:
            delay = None
        if delay is not None and not delay.applied:
            await self._pause(delay.seconds)
        call.result = answer()
        if delay is not None and delay.applied:
            await self._pause(delay.seconds)
        return web.json_response(call.result)

    async def _pause(self, seconds: float) -> None:
        """Hold a request, but never past the fake's own shutdown."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    def _rate_limited(self, call: Call) -> int | None:
        if (retry_after := self._faults.method_limited(call.method, self.clock())) is not None:
            return retry_after
        if self._faults.rate is None or call.method != "chat.postMessage":
            return None
        channel = self.workspace.channel(call.args.get("channel"))
        return self._faults.rate_limited(channel, self.clock())

    def _dispatch(self, method: str, args: JsonDict, token: str | None) -> JsonDict:
        if method == "oauth.v2.access":  # authenticated by client id and secret, not a token
            return self.oauth.access(args)
        if not token:
            return err("not_authed")
        if method == "auth.test":
            return self._auth_test(token)
        if (method == "apps.connections.open") != token.startswith("xapp-"):
            return err("not_allowed_token_type")
        if method == "apps.connections.open":
            ticket = next(self.workspace.ids)
            ws_url = self.base_url.replace("http://", "ws://")
            return {"ok": True, "url": f"{ws_url}/link?ticket={ticket}&app_id={self.app_id}"}
        handler = METHODS.get(method)
        return handler(self.workspace, args) if handler is not None else {"ok": True}

    def _auth_test(self, token: str) -> JsonDict:
        return {
            "ok": True,
            "url": "https://fake.slack.com/",
            "team": "Fake Workspace",
            "user": self.users[self.bot_user_id].name,
            "team_id": self.oauth.team_for(token) or self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }
