"""RetentionStore: departures, and erasing a workspace in small transactions (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.records import HelpEvent
from storage import Store

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


async def test_a_workspace_is_erased_batch_by_batch_and_its_departure_last(store: Store) -> None:
    for team in ("TGONE", "TSTAYS"):
        await store.events.record(
            [
                HelpEvent(team, f"U{n}", f"U{n + 1}", "note", "command", "C1", NOW, f"k{n}")
                for n in range(7)
            ]
        )
        await store.retention.departed(team, now=NOW)
    assert await store.retention.due(departed_before=NOW + timedelta(seconds=1)) == [
        "TGONE",
        "TSTAYS",
    ]
    tables = await store.retention.team_tables()
    assert tables[:3] == ["help_daily", "help_pairs", "favour_daily"]
    assert tables[-1] == "workspace_departures"

    erased = await store.retention.erase("TGONE", batch=3)  # 7 events: three transactions

    assert erased["help_events"] == 7 and erased["workspace_departures"] == 1
    assert await store.retention.held("TGONE") == {}
    assert (await store.retention.held("TSTAYS"))["help_events"] == 7
    assert list(await store.retention.departures()) == ["TSTAYS"]


async def test_coming_back_cancels_the_departure(store: Store) -> None:
    await store.retention.departed("T1", now=NOW)
    await store.retention.departed("T1", now=NOW + timedelta(days=3))  # the first one counts
    assert await store.retention.departures() == {"T1": NOW}
    await store.retention.returned("T1")
    assert await store.retention.departures() == {}
