"""In-process fake of Slack's Web API, response URLs and Socket Mode, served over real HTTP.

Used by the end-to-end tests and the playground::

    fake = FakeSlack()
    await fake.start()
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    ...  # payloads carry fake.response_url(); Socket Mode clients find /link themselves
    await fake.wait_for("chat.postMessage")
    await fake.stop()

Every request is recorded in `calls` (also failed ones). Messages posted with chat.postMessage
live in `messages`; unknown Web API methods answer `{"ok": true}` so the app never breaks.
A response URL made with a `channel` (and the `message_ts` it belongs to) behaves like Slack's:
`in_channel` posts become messages, `replace_original` / `delete_original` change the original.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.fakeslack_oauth import FakeOAuth, client_credentials
from bot.fakeslack_socket import SocketLink

JsonDict = dict[str, Any]
_JSON_ARGS = ("blocks", "metadata", "view", "attachments")  # JSON strings inside form/query args
_STATUS_ERRORS = {429: "ratelimited", 500: "fatal_error", 503: "service_unavailable"}


@dataclass
class Call:
    method: str  # "chat.postMessage", ... or "response_url"
    args: dict[str, Any]
    token: str | None
    url: str | None = None  # path, for posts to response URLs
    failed: bool = False  # answered with an injected failure or a rate limit
    result: JsonDict | None = None  # the JSON answered; for response URLs, the message posted


@dataclass
class _ResponseTarget:
    channel: str
    message_ts: str | None


@dataclass
class FakeUser:
    id: str
    name: str
    team_id: str
    real_name: str
    is_bot: bool = False
    tz: str = "America/New_York"
    tz_offset: int | None = None  # None: computed from tz at the fake's clock time
    locale: str = "en-US"
    is_admin: bool = False
    is_owner: bool = False
    deleted: bool = False


@dataclass
class _Failure:
    status: int
    times: int
    retry_after: int | None
    error: str | None
    hang: float | None


@dataclass
class _Bucket:
    tokens: float
    updated: float


def _err(error: str) -> JsonDict:
    return {"ok": False, "error": error}


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _ts_key(ts: Any) -> Decimal:
    return Decimal(str(ts)) if ts not in (None, "") else Decimal(0)


async def _parse_args(request: web.Request) -> tuple[JsonDict, str | None]:
    """Merge query string and JSON or form body; return (args, token)."""
    args: JsonDict = dict(request.query)
    if request.content_type == "application/json":
        raw = await request.text()
        body = json.loads(raw) if raw.strip() else {}
        args.update(body if isinstance(body, dict) else {})
    elif request.can_read_body:
        form = await request.post()
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in _JSON_ARGS:
        value = args.get(key)
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    token = args.pop("token", None)
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        token = auth.removeprefix("Bearer ").strip()
    return args, token


class FakeSlack:
    def __init__(
        self,
        *,
        team_id: str = "T0001",
        bot_user_id: str = "UBOT",
        bot_id: str = "B0001",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.team_id, self.bot_user_id, self.bot_id = team_id, bot_user_id, bot_id
        self.app_id = "A0001"
        self.clock = clock
        self.calls: list[Call] = []
        self.messages: dict[str, list[JsonDict]] = {}
        self.users: dict[str, FakeUser] = {}
        self.views: dict[str, JsonDict] = {}  # view id -> latest version
        self.home_tabs: dict[str, JsonDict] = {}  # user id -> published home view
        self.socket = SocketLink(self.app_id)
        self.oauth = FakeOAuth(app_id=self.app_id, bot_user_id=bot_user_id)
        self._failures: dict[str, list[_Failure]] = {}
        self._rate: tuple[float, int] | None = None
        self._buckets: dict[str, _Bucket] = {}
        self._dms: dict[str, str] = {}
        self._response_targets: dict[str, _ResponseTarget] = {}
        self._ids = itertools.count(1)
        self._last_ts_us = 0
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._stopping = asyncio.Event()
        self.add_user("USLACKBOT", "slackbot", real_name="Slackbot", tz="America/Los_Angeles")
        self.add_user(bot_user_id, "giveback", is_bot=True)

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
        path = f"/response/{name}-{next(self._ids)}"
        if channel is not None:
            self._response_targets[path] = _ResponseTarget(channel, message_ts)
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
        self.users[user_id] = FakeUser(
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

    def dm_channel(self, user_id: str) -> str:
        """The stable D… channel id that conversations.open returns for `user_id`."""
        return self._dms.setdefault(user_id, f"D{len(self._dms) + 1:08d}")

    def dm_owner(self, channel: str) -> str | None:
        """The person whose DM with the bot ``channel`` is, if it is one."""
        return next((user for user, dm in self._dms.items() if dm == channel), None)

    def add_message(self, channel: str, user: str, text: str, **fields: Any) -> JsonDict:
        """Put a message into a channel's history, as a person (or the bot) posting it."""
        message: JsonDict = {"type": "message", "user": user, "ts": self._next_ts(), "text": text}
        if user == self.bot_user_id:
            message.update(bot_id=self.bot_id, app_id=self.app_id)
        message.update({"team": self.team_id, **fields})
        self.messages.setdefault(self._channel(channel), []).append(message)
        return message

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: int | None = None,
        error: str | None = None,
        hang: float | None = None,
    ) -> None:
        """Make the next `times` calls to `method` (or "response_url") misbehave."""
        status = 429 if retry_after is not None else status
        failure = _Failure(status, times, retry_after, error, hang)
        self._failures.setdefault(method, []).append(failure)

    def limit_channel_rate(self, per_second: float, burst: int) -> None:
        """Token-bucket chat.postMessage per channel, answering 429 beyond it."""
        self._rate = (per_second, burst)
        self._buckets.clear()

    # ---- HTTP handlers ---------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args, token = await _parse_args(request)
        if method == "oauth.v2.access":
            args.update(client_credentials(request.headers.get("Authorization", "")))
        return await self._serve(
            Call(method, args, token), lambda: self._dispatch(method, args, token)
        )

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        raw = await request.text()
        body = json.loads(raw) if raw.strip() else {}
        call = Call("response_url", body, None, url=request.path)
        response = await self._serve(call, lambda: {"ok": True})
        target = self._response_targets.get(request.path)
        if target is not None and not call.failed:
            call.result = self._apply_response(target, body)
        else:
            call.result = None  # for response URLs: the message posted or changed, if any
        return response

    def _apply_response(self, target: _ResponseTarget, body: JsonDict) -> JsonDict | None:
        """What Slack does with a response URL post: delete, replace or post the message."""
        original = self._find({"channel": target.channel, "ts": target.message_ts or ""})
        if _truthy(body.get("delete_original")):
            if original is not None:
                self.messages[self._channel(target.channel)].remove(original)
            return None
        fields: JsonDict = {k: body[k] for k in ("text", "blocks", "attachments") if k in body}
        if _truthy(body.get("replace_original")):
            if original is None:
                return None
            for key in ("blocks", "attachments"):  # a replacement is the whole new message
                original.pop(key, None)
            original.update({"text": "", **fields})
            return {"channel": target.channel, "ts": original["ts"], "message": original}
        if body.get("response_type") != "in_channel":
            return None  # ephemeral: nothing is stored
        extra = {k: v for k, v in fields.items() if k != "text"}
        message = self.add_message(
            target.channel, self.bot_user_id, str(body.get("text", "")), **extra
        )
        return {"channel": target.channel, "ts": message["ts"], "message": message}

    async def _serve(self, call: Call, answer: Callable[[], JsonDict]) -> web.Response:
        self.calls.append(call)
        failure = self._take_failure(call.method)
        if failure is not None:
            call.failed = failure.error is not None or failure.hang is None
            if failure.hang is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), failure.hang)
            if failure.error is not None:
                return web.json_response(_err(failure.error))
            if failure.hang is None:
                return self._status_response(failure.status, failure.retry_after)
        elif (retry_after := self._rate_limited(call)) is not None:
            call.failed = True
            return self._status_response(429, retry_after)
        call.result = answer()
        return web.json_response(call.result)

    @staticmethod
    def _status_response(status: int, retry_after: int | None) -> web.Response:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        body = _err(_STATUS_ERRORS.get(status, "request_failed"))
        return web.json_response(body, status=status, headers=headers)

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _rate_limited(self, call: Call) -> int | None:
        """Retry-After seconds if this chat.postMessage exceeds its channel's bucket."""
        if self._rate is None or call.method != "chat.postMessage":
            return None
        per_second, burst = self._rate
        now = self.clock()
        bucket = self._buckets.setdefault(
            self._channel(call.args.get("channel")), _Bucket(burst, now)
        )
        bucket.tokens = min(burst, bucket.tokens + max(0.0, now - bucket.updated) * per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return max(1, math.ceil((1 - bucket.tokens) / per_second))

    def _dispatch(self, method: str, args: JsonDict, token: str | None) -> JsonDict:
        if method == "oauth.v2.access":  # authenticated by client id and secret, not a token
            return self.oauth.access(args)
        if not token:
            return _err("not_authed")
        if token in self.oauth.revoked:
            return _err("token_revoked")
        if method == "auth.test":
            return self._api_auth_test(args, token)
        if (method == "apps.connections.open") != token.startswith("xapp-"):
            return _err("not_allowed_token_type")
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        return handler(args) if handler is not None else {"ok": True}

    # ---- state helpers ---------------------------------------------------------------------

    def _next_ts(self) -> str:
        """A message ts near the clock, strictly increasing even if the clock stands still."""
        micros = max(int(self.clock() * 1_000_000), self._last_ts_us + 1)
        self._last_ts_us = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _channel(self, channel: Any) -> str:
        channel = str(channel or "")
        return self.dm_channel(channel) if channel[:1] in ("U", "W") else channel

    def _find(self, args: JsonDict, ts_arg: str = "ts") -> JsonDict | None:
        channel, ts = self._channel(args.get("channel")), str(args.get(ts_arg, ""))
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def _user_json(self, user: FakeUser, include_locale: bool) -> JsonDict:
        now = datetime.fromtimestamp(self.clock(), ZoneInfo(user.tz))
        offset = user.tz_offset
        if offset is None:
            offset = int((now.utcoffset() or timedelta()).total_seconds())
        out: JsonDict = {
            "id": user.id,
            "team_id": user.team_id,
            "name": user.name,
            "deleted": user.deleted,
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": now.tzname(),
            "tz_offset": offset,
            "is_admin": user.is_admin,
            "is_owner": user.is_owner,
            "is_bot": user.is_bot,
            "profile": {"display_name": user.name, "real_name": user.real_name},
        }
        if include_locale:
            out["locale"] = user.locale
        return out

    def _store_view(self, view: Any, *, view_id: str | None = None, **extra: Any) -> JsonDict:
        view = view if isinstance(view, dict) else {}
        view_id = view_id or f"V{next(self._ids):08d}"
        stored = {
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "clear_on_close": False,
            "notify_on_close": False,
            "root_view_id": view_id,
            "previous_view_id": None,
            **view,
            **extra,
            "id": view_id,
            "team_id": self.team_id,
            "hash": f"{int(self.clock())}.{next(self._ids)}",
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        self.views[view_id] = stored
        return stored

    # ---- Web API methods (named _api_<method with dots as underscores>) --------------------

    def _api_auth_test(self, a: JsonDict, token: str | None = None) -> JsonDict:
        return {
            "ok": True,
            "url": "https://fake.slack.com/",
            "team": "Fake Workspace",
            "user": self.users[self.bot_user_id].name,
            "team_id": self.oauth.team_for(token or "") or self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _api_apps_connections_open(self, a: JsonDict) -> JsonDict:
        ticket = next(self._ids)
        ws_url = self.base_url.replace("http://", "ws://")
        return {"ok": True, "url": f"{ws_url}/link?ticket={ticket}&app_id={self.app_id}"}

    def _api_users_info(self, a: JsonDict) -> JsonDict:
        user = self.users.get(str(a.get("user", "")))
        if user is None:
            return _err("user_not_found")
        return {"ok": True, "user": self._user_json(user, _truthy(a.get("include_locale")))}

    def _api_users_list(self, a: JsonDict) -> JsonDict:
        members = [
            self._user_json(u, _truthy(a.get("include_locale"))) for u in self.users.values()
        ]
        cursor = {"next_cursor": ""}
        return {
            "ok": True,
            "members": members,
            "cache_ts": int(self.clock()),
            "response_metadata": cursor,
        }

    def _api_conversations_open(self, a: JsonDict) -> JsonDict:
        users = [u for u in str(a.get("users", "")).split(",") if u]
        if not users:
            return _err("users_list_not_supplied")
        already_open = users[0] in self._dms
        out: JsonDict = {"ok": True, "channel": {"id": self.dm_channel(users[0])}}
        return out | {"no_op": True, "already_open": True} if already_open else out

    def _api_chat_postMessage(self, a: JsonDict) -> JsonDict:
        channel = self._channel(a.get("channel"))
        if not channel:
            return _err("channel_not_found")
        if not any(a.get(k) for k in ("text", "blocks", "attachments")):
            return _err("no_text")
        message: JsonDict = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "ts": self._next_ts(),
            "text": a.get("text", ""),
        }
        keys = ("blocks", "attachments", "metadata", "thread_ts", "reply_broadcast")
        message.update({k: a[k] for k in keys if k in a})
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _api_chat_postEphemeral(self, a: JsonDict) -> JsonDict:
        if not a.get("channel") or not a.get("user"):
            return _err("channel_not_found" if not a.get("channel") else "user_not_in_channel")
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_update(self, a: JsonDict) -> JsonDict:
        message = self._find(a)
        if message is None:
            return _err("message_not_found")
        message.update({k: a[k] for k in ("text", "blocks", "attachments", "metadata") if k in a})
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        channel = self._channel(a.get("channel"))
        return {
            "ok": True,
            "channel": channel,
            "ts": message["ts"],
            "text": message["text"],
            "message": message,
        }

    def _api_chat_delete(self, a: JsonDict) -> JsonDict:
        message = self._find(a)
        if message is None:
            return _err("message_not_found")
        channel = self._channel(a.get("channel"))
        self.messages[channel].remove(message)
        return {"ok": True, "channel": channel, "ts": message["ts"]}

    def _api_chat_getPermalink(self, a: JsonDict) -> JsonDict:
        channel, ts = self._channel(a.get("channel")), str(a.get("message_ts", ""))
        link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"ok": True, "channel": channel, "permalink": link}

    def _api_conversations_history(self, a: JsonDict) -> JsonDict:
        oldest, inclusive = _ts_key(a.get("oldest")), _truthy(a.get("inclusive"))
        latest = _ts_key(a["latest"]) if a.get("latest") else Decimal("Infinity")
        limit = int(a.get("limit") or 100)

        def wanted(m: JsonDict) -> bool:
            if m.get("thread_ts", m["ts"]) != m["ts"] and not m.get("reply_broadcast"):
                return False
            ts = _ts_key(m["ts"])
            return oldest <= ts <= latest if inclusive else oldest < ts < latest

        found = [
            m for m in reversed(self.messages.get(self._channel(a.get("channel")), [])) if wanted(m)
        ]
        return {
            "ok": True,
            "messages": found[:limit],
            "has_more": len(found) > limit,
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
            "response_metadata": {"next_cursor": ""},
        }

    def _api_conversations_replies(self, a: JsonDict) -> JsonDict:
        ts = str(a.get("ts", ""))
        channel = self._channel(a.get("channel"))
        found = [m for m in self.messages.get(channel, []) if ts in (m["ts"], m.get("thread_ts"))]
        if not found:
            return _err("thread_not_found")
        return {
            "ok": True,
            "messages": found,
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def _api_reactions_add(self, a: JsonDict) -> JsonDict:
        message = self._find(a, "timestamp")
        if message is None:
            return _err("message_not_found")
        reactions: list[JsonDict] = message.setdefault("reactions", [])
        entry = next((r for r in reactions if r["name"] == a.get("name")), None)
        if entry is None:
            reactions.append({"name": a.get("name"), "users": [self.bot_user_id], "count": 1})
        elif self.bot_user_id in entry["users"]:
            return _err("already_reacted")
        else:
            entry["users"].append(self.bot_user_id)
            entry["count"] += 1
        return {"ok": True}

    def _api_views_open(self, a: JsonDict) -> JsonDict:
        if not isinstance(a.get("view"), dict):
            return _err("invalid_arguments")
        return {"ok": True, "view": self._store_view(a["view"])}

    _api_views_push = _api_views_open

    def _api_views_update(self, a: JsonDict) -> JsonDict:
        old = self.views.get(str(a.get("view_id", ""))) or next(
            (
                v
                for v in self.views.values()
                if a.get("external_id") and v.get("external_id") == a.get("external_id")
            ),
            None,
        )
        if old is None:
            return _err("not_found")
        if a.get("hash") and a["hash"] != old["hash"]:
            return _err("hash_conflict")
        view = self._store_view(a.get("view"), view_id=old["id"], root_view_id=old["root_view_id"])
        return {"ok": True, "view": view}

    def _api_views_publish(self, a: JsonDict) -> JsonDict:
        user_id, old = str(a.get("user_id", "")), self.home_tabs.get(str(a.get("user_id", "")))
        if not user_id or not isinstance(a.get("view"), dict):
            return _err("invalid_arguments")
        if old is not None and a.get("hash") and a["hash"] != old["hash"]:
            return _err("hash_conflict")
        view = self._store_view(a["view"], view_id=old["id"] if old else None)
        self.home_tabs[user_id] = view
        return {"ok": True, "view": view}
