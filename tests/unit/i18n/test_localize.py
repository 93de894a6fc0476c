"""Dates and numbers for English and Japanese readers, on their own calendar day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n.localize import format_date, format_number

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "lang", "tz", "expected"),
    [
        (datetime(2026, 11, 20, 12, 0, tzinfo=UTC), "en", None, "Nov 20"),
        (datetime(2026, 11, 20, 12, 0, tzinfo=UTC), "ja", None, "11月20日"),
        (datetime(2025, 3, 2, 12, 0, tzinfo=UTC), "en", None, "Mar 2, 2025"),
        (datetime(2025, 3, 2, 12, 0, tzinfo=UTC), "ja", None, "2025年3月2日"),
        # 20:00 UTC is already the next day in Tokyo, still the same day in New York
        (datetime(2026, 11, 20, 20, 0, tzinfo=UTC), "ja", "Asia/Tokyo", "11月21日"),
        (datetime(2026, 11, 20, 20, 0, tzinfo=UTC), "en", "America/New_York", "Nov 20"),
        # an unknown zone falls back to UTC rather than failing
        (datetime(2026, 11, 20, 20, 0, tzinfo=UTC), "en", "Mars/Olympus", "Nov 20"),
        # New Year's Eve in UTC is already next year in Tokyo
        (datetime(2026, 12, 31, 20, 0, tzinfo=UTC), "ja", "Asia/Tokyo", "2027年1月1日"),
    ],
)
def test_format_date(moment: datetime, lang: str, tz: str | None, expected: str) -> None:
    assert format_date(moment, lang, tz, NOW) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [(0, "en", "0"), (999, "ja", "999"), (1234, "en", "1,234"), (1234567, "ja", "1,234,567")],
)
def test_format_number(value: int, lang: str, expected: str) -> None:
    assert format_number(value, lang) == expected
