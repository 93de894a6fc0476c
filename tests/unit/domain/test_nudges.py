"""Pure nudge policy, message builders, the digest and the settings form: table-driven."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.digest import build_digest, digest_message, most_common_timezone
from bot.domain.favours import Ask
from bot.domain.nudges import (
    LastContact,
    Person,
    asks_for,
    decide,
    in_window,
    iso_week,
    needs_closing,
    needs_resurfacing,
)
from bot.domain.records import Balance, PersonCount
from bot.domain.settings import UserPreferences, WorkspaceSettings
from bot.i18n.catalog import CATALOGUE, placeholders
from bot.i18n.strings import nudges as nudge_strings
from bot.views.nudges import giveback_nudge, preview
from bot.views.settings_form import settings_view
from bot.views.settings_parse import parse_settings
from tests.support.contracts import check_blocks, check_view

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
SETTINGS = WorkspaceSettings()
OWES = Balance(given=1, received=5, total=6)


def person(**changes: object) -> Person:
    return dataclasses.replace(Person("U1", "America/New_York", OWES), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("who", "now", "kind", "reason"),
    [
        (person(), NOW, "giveback", "in deficit"),
        (person(tz="Asia/Tokyo"), NOW, None, "outside the delivery window (Tue 00:00"),
        (person(tz="Asia/Tokyo"), NOW - timedelta(hours=14), "giveback", "in deficit"),
        (person(), NOW + timedelta(hours=2), None, "outside the delivery window (Mon 12:00"),
        (person(), NOW - timedelta(minutes=1), None, "outside the delivery window (Mon 09:59"),
        (person(), NOW + timedelta(days=1), None, "outside the delivery window (Tue"),
        (person(balance=Balance(2, 4, 6)), NOW, None, "in balance"),
        (person(preferences=UserPreferences(nudges=False)), NOW, None, "opted out"),
        (person(gone=True), NOW, None, "not an active person"),
        (person(tz=None), NOW, None, "timezone unknown"),
        (person(tz="Not/AZone"), NOW, None, "timezone unknown"),
        (person(balance=Balance(0, 3, 3)), NOW, "welcome", "newcomer"),
        (
            person(balance=Balance(0, 3, 3), preferences=UserPreferences(welcomed=True)),
            NOW,
            "giveback",
            "in deficit",
        ),
        (
            person(last_contact=LastContact(NOW - timedelta(days=6), "2026-11-17")),
            NOW,
            None,
            "cooldown until 2026-11-24",
        ),
        (  # a week ago, if a little later in the day: due again
            person(last_contact=LastContact(NOW - timedelta(days=7, minutes=-15), "2026-11-16")),
            NOW,
            "giveback",
            "in deficit",
        ),
        (  # a claim for today's own key is not a reason to wait: the log decides
            person(last_contact=LastContact(NOW - timedelta(minutes=15), "2026-11-23")),
            NOW,
            "giveback",
            "in deficit",
        ),
    ],
)
def test_decide(who: Person, now: datetime, kind: str | None, reason: str) -> None:
    decision = decide(who, SETTINGS, now)
    assert decision.kind == kind
    assert decision.reason.startswith(reason), decision.reason


def test_policy_off_sends_no_give_back_nudges() -> None:
    off = dataclasses.replace(SETTINGS, policy="off")
    assert decide(person(), off, NOW).kind is None


def test_the_period_is_the_local_date() -> None:
    tokyo = decide(person(tz="Asia/Tokyo"), SETTINGS, NOW - timedelta(hours=14))
    assert tokyo.period == "2026-11-23"
    assert iso_week(NOW) == "2026-W48"


@pytest.mark.parametrize(
    ("hour", "weekday_ok", "expected"),
    [(9, True, False), (10, True, True), (11, True, True), (12, True, False), (10, False, False)],
)
def test_in_window(hour: int, weekday_ok: bool, expected: bool) -> None:
    local = datetime(2026, 11, 23 if weekday_ok else 24, hour, 30)
    assert in_window(local, (0,), 10, 12) is expected


_ids: dict[str, int] = {}


def ask_id(name: str) -> int:
    """Asks are named in these tests; the store would number them."""
    return _ids.setdefault(name, len(_ids) + 1)


def ask(name: str, asker: str, *, days: float = 0, offers: tuple[str, ...] = ()) -> Ask:
    created = NOW - timedelta(days=days)
    return Ask(ask_id(name), "T1", asker, f"help with {name}", "C1", "open", created, offers=offers)


def test_asks_for_prefers_the_people_who_helped_you_then_the_oldest() -> None:
    asks = [
        ask("a1", "UX", days=5),
        ask("a2", "UBOB", days=1),
        ask("a3", "U1", days=9),  # their own
        ask("a4", "UY", days=7, offers=("U1",)),  # they already offered
        ask("a5", "UZ", days=8),
        ask("a6", "UCAROL", days=2),
    ]
    owed = [PersonCount("UCAROL", 3), PersonCount("UBOB", 1)]
    assert [a.id for a in asks_for("U1", asks, owed)] == [ask_id(n) for n in ("a6", "a2", "a5")]


@pytest.mark.parametrize(
    ("days", "offers", "closing", "resurfacing"),
    [
        (1.9, (), False, False),
        (2, (), False, True),
        (2.9, ("UB",), False, False),
        (3, ("UB",), True, False),
    ],
)
def test_close_the_loop_and_resurface_thresholds(
    days: float, offers: tuple[str, ...], closing: bool, resurfacing: bool
) -> None:
    the_ask = ask("a", "UA", days=days, offers=offers)
    assert needs_closing(the_ask, NOW) is closing
    assert needs_resurfacing(the_ask, NOW) is resurfacing


def test_giveback_nudge_blocks_are_valid_and_carry_offer_buttons() -> None:
    asks = [ask("a1", "UBOB"), ask("a2", "UCAROL")]
    text, blocks = giveback_nudge(
        "U1",
        OWES,
        [PersonCount("UBOB", 2)],
        asks,
        window_days=90,
        cooldown_days=7,
        lang="en",
    )
    check_blocks(blocks)
    assert "<@UBOB>" in text
    buttons = [b["accessory"] for b in blocks if "accessory" in b]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("ask_offer", str(ask_id("a1"))),
        ("ask_offer", str(ask_id("a2"))),
    ]
    assert "helped you twice" in str(blocks)


def test_asks_are_quoted_without_pinging_anyone() -> None:
    assert "<!channel>" not in preview("urgent <!channel> please\n\nnow")
    assert preview("x" * 300).endswith("…") and len(preview("x" * 300)) == 200


def test_digest_shows_the_week_and_hides_people_who_asked_to_be_hidden() -> None:
    widest = [
        PersonCount("UA", 4),
        PersonCount("UB", 3),
        PersonCount("UC", 1),
        PersonCount("UD", 1),
    ]
    asks = [ask("w1", "UE", days=3), ask("w2", "UF", days=1, offers=("UA",))]
    digest = build_digest(12, widest, [("UA", "UC")], asks, hidden={"UB"})
    assert [p.user_id for p in digest.widest] == ["UA", "UC", "UD"]
    assert [a.id for a in digest.waiting] == [ask_id("w1")]  # w2 already has an offer
    text, blocks = digest_message(digest, "en")
    check_blocks(blocks)
    body = str(blocks)
    assert "*12* thanks given this week" in body
    assert "<@UA> helped 4 colleagues" in body and "<@UC> helped 1 colleague" in body
    assert "<@UB>" not in body
    assert "<@UA> ⇄ <@UC>" in body and "<@UE>: help with w1" in body
    assert text == "This week in giveback: 12 thanks given."
    no_board = build_digest(12, widest, [], [], leaderboard=False)
    assert no_board.widest == []


def test_an_empty_week_still_reads_kindly() -> None:
    _, blocks = digest_message(build_digest(0, [], [], []), "ja")
    assert "今週は感謝の記録がありませんでした" in str(blocks)


def test_digest_timezone_follows_most_people() -> None:
    assert most_common_timezone(["Asia/Tokyo", None, "Asia/Tokyo", "Europe/London"]) == "Asia/Tokyo"
    assert most_common_timezone([None]) == "UTC"


def test_every_nudge_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    assert nudge_strings.EN.keys() == nudge_strings.JA.keys()
    for key, english in nudge_strings.EN.items():
        assert placeholders(english) == placeholders(nudge_strings.JA[key]), key
    assert all(key in CATALOGUE["ja"] for key in nudge_strings.EN)


def form(**overrides: object) -> dict:
    values: dict = {
        "threshold": {"value": {"type": "number_input", "value": "4"}},
        "window_days": {"value": {"type": "number_input", "value": "60"}},
        "cooldown_days": {"value": {"type": "number_input", "value": "14"}},
        "policy": {"value": {"selected_option": {"value": "strict"}}},
        "nudge_weekdays": {"value": {"selected_options": [{"value": "0"}, {"value": "3"}]}},
        "nudge_start_hour": {"value": {"selected_option": {"value": "9"}}},
        "nudge_end_hour": {"value": {"selected_option": {"value": "11"}}},
        "digest_channel": {"value": {"selected_conversation": "CDIGEST"}},
        "language": {"value": {"selected_option": {"value": "ja"}}},
    }
    for block_id, value in overrides.items():
        values[block_id] = {"value": value}
    return values


def test_the_settings_form_round_trips() -> None:
    view = settings_view(SETTINGS, "en")
    check_view(view)
    saved, errors = parse_settings(form(), SETTINGS, "en")
    assert errors == {}
    assert saved == dataclasses.replace(
        SETTINGS,
        threshold=4,
        window_days=60,
        cooldown_days=14,
        policy="strict",
        nudge_weekdays=(0, 3),
        nudge_start_hour=9,
        nudge_end_hour=11,
        digest_channel="CDIGEST",
        language="ja",
    )
    assert saved is not None
    check_view(settings_view(saved, "ja"))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"threshold": {"value": "0"}}, "threshold"),
        ({"window_days": {"value": "abc"}}, "window_days"),
        ({"cooldown_days": {"value": None}}, "cooldown_days"),
        ({"nudge_weekdays": {"selected_options": []}}, "nudge_weekdays"),
        ({"nudge_end_hour": {"selected_option": {"value": "9"}}}, "nudge_end_hour"),
    ],
)
def test_bad_settings_are_reported_on_their_field(overrides: dict, field: str) -> None:
    saved, errors = parse_settings(form(**overrides), SETTINGS, "en")
    assert saved is None and list(errors) == [field]


def test_an_empty_digest_channel_and_default_language_clear_them() -> None:
    current = dataclasses.replace(SETTINGS, digest_channel="COLD", language="en")
    saved, _ = parse_settings(
        form(digest_channel={}, language={"selected_option": {"value": "default"}}), current, "en"
    )
    assert saved is not None and saved.digest_channel is None and saved.language is None
