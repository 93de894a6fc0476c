"""The Home tab builder: empty states, one-way and two-way ties, Block Kit limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.favours import Ask
from bot.domain.network import Counterpart, real_network, thank_back
from bot.domain.records import Ledger
from bot.views.home import HomeData, build_home
from tests.support.contracts import check_view

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ME = "UALICE"


def texts(view: dict) -> str:
    return json.dumps(view, ensure_ascii=False)


def home_for(counterparts: list[Counterpart], **kwargs: object) -> HomeData:
    given = sum(c.given for c in counterparts)
    received = sum(c.received for c in counterparts)
    values: dict[str, object] = {
        "user_id": ME,
        "ledger": Ledger(ME, given, received, given, received),
        "window_days": 90,
        "network": real_network(counterparts),
        "thank_back": thank_back(counterparts),
    }
    values.update(kwargs)
    return HomeData(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_home_for_a_person_with_no_data_explains_what_to_do_first(lang: str) -> None:
    view = build_home(home_for([]), lang, NOW)
    check_view(view)
    body = texts(view)
    if lang == "en":
        assert "Nothing recorded yet" in body
        assert "No two-way ties yet" in body
        assert "No open asks right now" in body
        assert "Thank someone" in body
    else:
        assert "まだ記録がありません" in body and "双方向のつながりはまだありません" in body
    actions = [
        e["action_id"] for b in view["blocks"] for e in b.get("elements", []) if "action_id" in e
    ]
    assert actions == ["home_thank"]


def test_one_way_ties_go_to_people_who_were_there_not_the_network() -> None:
    bob_helped_me = Counterpart("UBOB", 0, 2, None, NOW - timedelta(days=3))
    i_helped_carol = Counterpart("UCAROL", 4, 0, NOW - timedelta(days=1), None)
    view = build_home(home_for([bob_helped_me, i_helped_carol]), "en", NOW)
    check_view(view)
    network, owed = (
        b["text"]["text"]
        for b in view["blocks"]
        if b["type"] == "section"
        and b.get("text", {})
        .get("text", "")
        .startswith(("*Your real network*", "*People who were there"))
    )
    assert "No two-way ties yet" in network
    assert "<@UBOB> helped you twice · last Nov 20" in owed
    assert "UCAROL" not in owed and "UCAROL" not in network


def test_two_way_ties_are_listed_strongest_first_with_both_counts_and_last_exchange() -> None:
    dave = Counterpart("UDAVE", 1, 1, NOW - timedelta(days=40), NOW - timedelta(days=2))
    bob = Counterpart("UBOB", 3, 2, NOW - timedelta(days=10), NOW - timedelta(days=5))
    view = build_home(
        home_for([dave, bob]),
        "en",
        NOW,
    )
    check_view(view)
    body = texts(view)
    assert "<@UBOB>: you helped 3 times, they helped you twice · last Nov 18" in body
    assert "<@UDAVE>: you helped once, they helped you once · last Nov 21" in body
    assert body.index("UBOB") < body.index("UDAVE")
    assert "Nobody here yet" in body  # nobody who helped only one way


def test_japanese_home_uses_the_readers_calendar_and_counts() -> None:
    bob = Counterpart(
        "UBOB", 2, 1, NOW - timedelta(days=1), datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
    )
    view = build_home(home_for([bob], tz="Asia/Tokyo"), "ja", NOW)
    body = texts(view)
    assert "<@UBOB> さん: あなたから 2 回、相手から 1 回 · 最終 11月23日" in body


def test_toggles_carry_the_state_they_set() -> None:
    on = build_home(home_for([], nudges=True, detect_thanks=False), "en", NOW)
    buttons = {
        b["accessory"]["action_id"]: b["accessory"]["value"]
        for b in on["blocks"]
        if b.get("accessory", {}).get("type") == "button"
    }
    assert buttons == {
        "home_nudges_toggle": "off",
        "home_detect_toggle": "on",
        "home_suggestable_toggle": "off",
    }


def test_open_asks_have_i_can_help_buttons() -> None:
    asks = [Ask(42, "T1", "UBOB", "Anyone know Terraform?", "C1", "open", NOW - timedelta(hours=2))]
    view = build_home(home_for([], asks=asks), "en", NOW)
    check_view(view)
    [block] = [b for b in view["blocks"] if b.get("block_id") == "ask_42"]
    assert block["accessory"]["action_id"] == "ask_offer"
    assert block["accessory"]["value"] == "42"
    assert "Terraform" in block["text"]["text"]


def test_the_biggest_home_respects_block_kit_limits() -> None:
    many = [Counterpart(f"U{i:05d}", 1000 + i, 999, NOW, NOW) for i in range(500)] + [
        Counterpart(f"W{i:05d}", 0, 99999, None, NOW) for i in range(500)
    ]
    asks = [Ask(i, "T1", f"U{i:05d}", "x" * 5000, "C1", "open", NOW) for i in range(200)]
    data = home_for(many, asks=asks)
    for lang in ("en", "ja"):
        view = build_home(data, lang, NOW)
        check_view(view)  # slack_sdk enforces text lengths and the 100-block limit
        assert len(view["blocks"]) <= 100
        assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in view["blocks"])
