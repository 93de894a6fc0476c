"""Dates and numbers as a person reading in English or Japanese expects them (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def zone(name: str | None) -> tzinfo:
    """The person's Slack timezone; UTC when unknown or not a real zone."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def format_date(
    moment: datetime, lang: str, tz: str | None = None, now: datetime | None = None
) -> str:
    """``Nov 23`` / ``11月23日`` within the current year of ``now``, else with the year.

    The day is the one on the reader's wall calendar, not UTC's.
    """
    local = moment.astimezone(zone(tz))
    this_year = now is not None and now.astimezone(zone(tz)).year == local.year
    if lang == "ja":
        day = f"{local.month}月{local.day}日"
        return day if this_year else f"{local.year}年{day}"
    day = f"{MONTHS_EN[local.month - 1]} {local.day}"
    return day if this_year else f"{day}, {local.year}"


def format_number(value: int, lang: str) -> str:
    """Grouped thousands: ``12,345`` (Japanese workplaces use the same comma grouping)."""
    return f"{value:,}"
