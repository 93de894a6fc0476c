"""The fake workspace's state: people, channels with their messages, DMs, modals and Home tabs."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

JsonDict = dict[str, Any]


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
class Workspace:
    team_id: str
    bot_user_id: str
    bot_id: str
    app_id: str
    clock: Callable[[], float]
    messages: dict[str, list[JsonDict]] = field(default_factory=dict)
    users: dict[str, FakeUser] = field(default_factory=dict)
    views: dict[str, JsonDict] = field(default_factory=dict)  # view id -> latest version
    home_tabs: dict[str, JsonDict] = field(default_factory=dict)  # user id -> published view
    dms: dict[str, str] = field(default_factory=dict)  # user id -> D… channel
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    last_ts_us: int = 0

    def add_user(self, user: FakeUser) -> None:
        self.users[user.id] = user

    def dm_channel(self, user_id: str) -> str:
        return self.dms.setdefault(user_id, f"D{len(self.dms) + 1:08d}")

    def dm_owner(self, channel: str) -> str | None:
        return next((user for user, dm in self.dms.items() if dm == channel), None)

    def channel(self, channel: Any) -> str:
        """The channel id a message lands in: a user id means the bot's DM with them."""
        channel = str(channel or "")
        return self.dm_channel(channel) if channel[:1] in ("U", "W") else channel

    def next_ts(self) -> str:
        """A message ts near the clock, strictly increasing even if the clock stands still."""
        micros = max(int(self.clock() * 1_000_000), self.last_ts_us + 1)
        self.last_ts_us = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def add_message(self, channel: str, user: str, text: str, **fields: Any) -> JsonDict:
        message: JsonDict = {"type": "message", "user": user, "ts": self.next_ts(), "text": text}
        if user == self.bot_user_id:
            message.update(bot_id=self.bot_id, app_id=self.app_id)
        message.update({"team": self.team_id, **fields})
        self.messages.setdefault(self.channel(channel), []).append(message)
        return message

    def find(self, args: JsonDict, ts_arg: str = "ts") -> JsonDict | None:
        channel, ts = self.channel(args.get("channel")), str(args.get(ts_arg, ""))
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def user_json(self, user: FakeUser, include_locale: bool) -> JsonDict:
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

    def store_view(self, view: Any, *, view_id: str | None = None, **extra: Any) -> JsonDict:
        view = view if isinstance(view, dict) else {}
        view_id = view_id or f"V{next(self.ids):08d}"
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
            "hash": f"{int(self.clock())}.{next(self.ids)}",
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        self.views[view_id] = stored
        return stored
