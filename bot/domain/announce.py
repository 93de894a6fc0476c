"""Where a thanks is announced: the workspace's ``announce`` setting applied to one surface."""

from __future__ import annotations

from dataclasses import dataclass

CHANNEL, THREAD, PRIVATE = "channel", "thread", "private"


@dataclass(frozen=True)
class Delivery:
    """``respond``: the slash command's own reply; ``post``: chat.postMessage in the channel
    (``thread_ts`` set: in that thread, ``broadcast``: also shown in the channel);
    ``private``: only the people involved (ephemeral to the giver, a DM to each helper)."""

    kind: str
    thread_ts: str | None = None
    broadcast: bool = False


def plan_announcement(
    mode: str,
    *,
    message_ts: str | None = None,
    thread_ts: str | None = None,
    channel: str | None = None,
) -> Delivery:
    """Decide where to announce.

    ``message_ts`` is the message the thanks is about (a mention, a reacted or shortcut
    message); ``thread_ts`` the thread it sits in, if any. A slash command has neither, so
    ``thread`` mode cannot thread and answers in the channel like ``channel`` mode: the
    person typed the command in that channel on purpose. Replies to a message stay in its
    thread, also broadcast to the channel in ``channel`` mode.

    Without a channel (the Home form), or in a direct message (``D…``: perhaps the thanker's
    DM with the bot, which the person thanked never sees), only the people involved hear of it.
    """
    if mode == PRIVATE or not channel or channel.startswith("D"):
        return Delivery(PRIVATE)
    if message_ts is None:
        return Delivery("respond")
    return Delivery("post", thread_ts=thread_ts or message_ts, broadcast=mode == CHANNEL)
