"""Test data shared by several test modules."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.records import HelpEvent
from tests.conftest import TEAM


def help_events(
    giver: str,
    receiver: str,
    times: int,
    *,
    latest: datetime,
    spacing: timedelta,
    key: str,
    team: str = TEAM,
    note: str = "help",
    channel_id: str = "C0001",
) -> list[HelpEvent]:
    """``times`` thanks from ``giver`` to ``receiver`` by command: the newest at ``latest``, each
    earlier one ``spacing`` before the next, keyed ``{key}:0``, ``{key}:1``, ..."""
    return [
        HelpEvent(
            team_id=team,
            giver_id=giver,
            receiver_id=receiver,
            note=note,
            source="command",
            channel_id=channel_id,
            created_at=latest - spacing * i,
            key=f"{key}:{i}",
        )
        for i in range(times)
    ]
