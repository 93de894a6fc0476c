"""What the app did in Slack, as the people in the playground would see it.

The feed reads the fake Slack's call log (the one the tests assert on) and turns each
visible effect into lines: channel messages and DMs, numbered so you can react to them;
ephemeral replies marked as such; edits, deletions, App Home and modals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from bot.devtools.fakeslack import Call, FakeSlack
from bot.devtools.playground import modals
from bot.devtools.playground.blocks import Button, Line, buttons, emojize, render
from bot.devtools.playground.world import BOT_ID, CHANNEL, CHANNEL_NAME, name_of

JsonDict = dict[str, Any]
# Web API methods that read or prepare, with nothing for a person to see.
QUIET = frozenset(
    (
        "auth.test",
        "users.info",
        "users.list",
        "users.profile.get",
        "conversations.open",
        "conversations.info",
        "conversations.history",
        "conversations.replies",
        "conversations.members",
        "chat.getPermalink",
        "team.info",
        "bots.info",
    )
)


@dataclass
class Shown:
    """Something on screen: a message (numbered), an ephemeral reply, an App Home or a modal."""

    kind: str  # "message" | "ephemeral" | "home" | "modal"
    text: str
    blocks: list[JsonDict]
    channel: str | None = None
    ts: str | None = None
    author: str = BOT_ID
    number: int | None = None
    viewer: str | None = None  # who sees an ephemeral reply, a home tab or a modal
    view: JsonDict | None = None
    thread_ts: str | None = None
    filled: dict[int, str] = field(default_factory=dict)  # modal fields typed so far

    @property
    def buttons(self) -> list[Button]:
        return buttons(self.blocks)

    @property
    def message(self) -> JsonDict:
        """The message as Slack puts it in interaction payloads."""
        out: JsonDict = {"type": "message", "user": self.author, "ts": self.ts, "text": self.text}
        if self.blocks:
            out["blocks"] = self.blocks
        if self.author == BOT_ID:
            out["bot_id"] = "B0001"
        return out


@dataclass(frozen=True)
class _Reply:
    channel: str
    viewer: str
    source: Shown | None


class Feed:
    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.numbered: list[Shown] = []
        self.last_with_buttons: Shown | None = None
        self.modal: Shown | None = None
        self.watching_home: str | None = None  # a person who has their App Home open
        self.stamp_times = False  # set while `time` moves the clock
        self._replies: dict[str, _Reply] = {}
        self._triggers: dict[str, str] = {}  # trigger_id -> user
        self._cursor = 0

    # ---- what the session tells us ---------------------------------------------------------

    def expect_replies(self, url: str, channel: str, viewer: str, source: Shown | None) -> None:
        self._replies[urlparse(url).path] = _Reply(channel, viewer, source)

    def expect_trigger(self, trigger_id: str, user: str) -> None:
        self._triggers[trigger_id] = user

    def message(self, number: int) -> Shown | None:
        """Message #number; -1 (``on last``) is the latest one outside threads, as in Slack's
        channel view."""
        if number == -1:
            top = (s for s in reversed(self.numbered) if s.thread_ts in (None, s.ts))
            return next(top, None)
        return self.numbered[number - 1] if 0 < number <= len(self.numbered) else None

    def show(self, shown: Shown, heading: str | None = None, suffix: str = "") -> list[Line]:
        """Number a message (if it is one), remember its buttons, and render it."""
        if shown.kind == "message" and shown.number is None:
            self.numbered.append(shown)
            shown.number = len(self.numbered)
        if shown.buttons:
            self.last_with_buttons = shown
        lines = [Line((heading or self._heading(shown)) + suffix, _STYLES[shown.kind])]
        lines += render(shown.blocks, shown.text)
        if shown.kind == "modal" and shown.view:
            lines += modals.render_fields(shown.view, shown.filled)
        return lines

    def ack(self, body: Any, channel: str, viewer: str) -> list[Line]:
        """A slash command's immediate answer (the body of Slack's HTTP 200)."""
        if not isinstance(body, dict) or not (body.get("text") or body.get("blocks")):
            return []
        text, blocks = str(body.get("text", "")), list(body.get("blocks") or [])
        if body.get("response_type") == "in_channel":
            posted = self.fake.add_message(channel, BOT_ID, text, blocks=blocks)
            return self.show(Shown("message", text, blocks, channel, posted["ts"]))
        return self.show(Shown("ephemeral", text, blocks, channel, viewer=viewer))

    # ---- what the app did ------------------------------------------------------------------

    def collect(self) -> list[Line]:
        """Lines for every effect since the last call."""
        lines: list[Line] = []
        while self._cursor < len(self.fake.calls):
            call = self.fake.calls[self._cursor]
            self._cursor += 1
            if call.failed or (call.result is not None and call.result.get("ok") is False):
                continue
            lines += self._effect(call)
        return lines

    def _effect(self, call: Call) -> list[Line]:
        a, result = call.args, call.result or {}
        method = call.method
        if method in QUIET:
            return []
        if method == "chat.postMessage":
            return self._posted(result["channel"], result["message"])
        if method == "chat.postEphemeral":
            text, blocks = str(a.get("text", "")), list(a.get("blocks") or [])
            shown = Shown("ephemeral", text, blocks, str(a["channel"]), viewer=str(a["user"]))
            shown.ts = result.get("message_ts")
            return self.show(shown)
        if method == "chat.update":
            return self._changed(result["channel"], result["ts"], result["message"])
        if method == "chat.delete":
            return self._deleted(str(result.get("channel")), str(result.get("ts")))
        if method == "response_url":
            return self._response(call)
        if method in ("views.open", "views.push", "views.update"):
            return self._modal(a, result.get("view") or {})
        if method == "views.publish":
            return self._home(str(a["user_id"]), result.get("view") or {})
        if method in ("reactions.add", "reactions.remove"):
            target = self._find(str(a.get("channel")), str(a.get("timestamp")))
            verb = "reacted" if method == "reactions.add" else "took back"
            where = f"#{target.number}" if target else "a message"
            return [Line(f"  giveback {verb} {emojize(':' + str(a.get('name')) + ':')} on {where}")]
        return [Line(f"  (giveback called {method})", "dim")]

    def _posted(self, channel: str, message: JsonDict) -> list[Line]:
        shown = Shown(
            "message",
            str(message.get("text", "")),
            list(message.get("blocks") or []),
            channel,
            str(message["ts"]),
            str(message.get("user", BOT_ID)),
            thread_ts=message.get("thread_ts"),
        )
        # While the clock moves, say when each message arrived.
        return self.show(shown, suffix=f" · {self._local_time(shown)}" if self.stamp_times else "")

    def _changed(self, channel: str, ts: str, message: JsonDict) -> list[Line]:
        shown = self._find(channel, ts)
        if shown is None:
            return []
        shown.text, shown.blocks = str(message.get("text", "")), list(message.get("blocks") or [])
        return self.show(shown, f"#{shown.number} {self._where(shown)} (edited)")

    def _deleted(self, channel: str, ts: str) -> list[Line]:
        shown = self._find(channel, ts)
        if shown is None:
            return []
        shown.text, shown.blocks = "(deleted)", []
        return [Line(f"#{shown.number} was deleted", "dim")]

    def _response(self, call: Call) -> list[Line]:
        body = call.args
        reply = self._replies.get(call.url or "")
        if reply is None:
            return [Line("  (giveback answered on an unknown response URL)", "dim")]
        text, blocks = str(body.get("text", "")), list(body.get("blocks") or [])
        source = reply.source
        if body.get("delete_original") in (True, "true"):
            if source is None or source.kind != "ephemeral":
                return self._deleted(reply.channel, source.ts or "") if source else []
            return [
                Line(f"  (the reply only {name_of(source.viewer or '')} saw was removed)", "dim")
            ]
        if body.get("replace_original") in (True, "true") and source is not None:
            if source.kind == "message" and call.result:
                return self._changed(reply.channel, call.result["ts"], call.result["message"])
            source.text, source.blocks = text, blocks
            return self.show(source, self._heading(source) + " (replaced)")
        if body.get("response_type") == "in_channel" and call.result:
            return self._posted(reply.channel, call.result["message"])
        return self.show(Shown("ephemeral", text, blocks, reply.channel, viewer=reply.viewer))

    def _modal(self, args: JsonDict, view: JsonDict) -> list[Line]:
        homes = {v.get("id"): user for user, v in self.fake.home_tabs.items()}
        if view.get("type") == "home" or view.get("id") in homes:
            return self._home(homes.get(view.get("id"), ""), view)
        viewer = self._triggers.get(str(args.get("trigger_id", "")))
        if viewer is None and self.modal is not None:
            viewer = self.modal.viewer  # views.update / views.push from inside the modal
        self.modal = Shown("modal", "", list(view.get("blocks") or []), viewer=viewer, view=view)
        return self.show(self.modal)

    def _home(self, user: str, view: JsonDict) -> list[Line]:
        if self.watching_home != user:
            return []  # refreshed in the background: `home` shows it
        return self.show(Shown("home", "", list(view.get("blocks") or []), viewer=user, view=view))

    # ---- helpers ---------------------------------------------------------------------------

    def _find(self, channel: str, ts: str) -> Shown | None:
        channel = self.fake.dm_channel(channel) if channel[:1] in ("U", "W") else channel
        return next((s for s in self.numbered if s.channel == channel and s.ts == ts), None)

    def _where(self, shown: Shown) -> str:
        channel = shown.channel or ""
        if channel == CHANNEL:
            place = f"in #{CHANNEL_NAME}"
        elif owner := self.fake.dm_owner(channel):
            place = f"→ DM to {name_of(owner)}"
        else:
            place = f"in {channel}"
        if shown.thread_ts and shown.thread_ts != shown.ts:
            parent = self._find(channel, shown.thread_ts)
            place += f", in the thread of #{parent.number}" if parent else ", in a thread"
        return f"{name_of(shown.author)} {place}"

    def _local_time(self, shown: Shown) -> str:
        """When the message arrived, in its reader's timezone (a DM's owner), else in UTC."""
        owner = self.fake.dm_owner(shown.channel or "")
        user = self.fake.users.get(owner or "")
        zone = ZoneInfo(user.tz) if user else UTC
        moment = datetime.fromtimestamp(float(shown.ts or 0), zone)
        clock = f"{name_of(owner)}'s time" if owner and user else "UTC"
        return moment.strftime("%a %d %b %H:%M ") + clock

    def _heading(self, shown: Shown) -> str:
        if shown.kind == "message":
            return f"#{shown.number} {self._where(shown)}"
        if shown.kind == "ephemeral":
            return f"giveback, only visible to {name_of(shown.viewer or '')}:"
        if shown.kind == "home":
            return f"{name_of(shown.viewer or '')}'s App Home"
        title = (shown.view or {}).get("title", {}).get("text", "")
        can = "fill N TEXT · submit · close" if modals.fields(shown.view or {}) else "close"
        return f'Modal "{title}" for {name_of(shown.viewer or "")} ({can})'


_STYLES = {"message": "bold green", "ephemeral": "italic yellow", "home": "bold magenta"}
_STYLES |= {"modal": "bold blue"}
