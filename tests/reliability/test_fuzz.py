"""Bad input, generated: never a 5xx, never a traceback to a person, nothing stored.

Hypothesis drives the real app over signed HTTP. Example counts are small in ``make test``
and large in ``make soak`` (tests/reliability.py).
"""

from __future__ import annotations

import json
import string
import unicodedata
from urllib.parse import urlencode

from hypothesis import example, given
from hypothesis import strategies as st

from tests.conftest import ALICE, BOB, Bot
from tests.support.contracts import check_blocks
from tests.support.reliability import fuzz

# Ids that no fake user has: a mention of one must be refused, never stored.
stranger = st.from_regex(r"UX[A-Z0-9]{1,10}", fullmatch=True)
malformed_mention = st.sampled_from(
    ["<@", "<@>", "<@U", "<@U123", "<@|bob>", "<@U1|", "<@U1|<@U2>>", "<@@U1>", "<@ UBOB>",
     "<!channel>", "<!here|@here>", "<!subteam^S1|@devs>", "<#C123|general>", "<mailto:a@b>"]
)  # fmt: skip
injection = st.sampled_from(
    ["'; DROP TABLE help_events; --", '" OR 1=1 --', "${jndi:ldap://x}", "{{7*7}}", "%s%s%n",
     "<script>alert(1)</script>", "```\n*bold* _it_ ~s~\n```", "\\u0000", "../../etc/passwd",
     "ＵＢＯＢ", "@bob", "@channel", "\u202etxet desrever", "\ufeff", "🎉" * 50]
)  # fmt: skip
control = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=20)
fragment = st.one_of(
    st.text(max_size=200),
    stranger.map(lambda u: f"<@{u}>"),
    stranger.map(lambda u: f"<@{u}|{u.lower()}>"),
    malformed_mention,
    injection,
    control,
)
command_text = st.one_of(
    st.lists(fragment, max_size=12).map(" ".join),
    st.tuples(st.text(min_size=1, max_size=50), st.integers(1, 400)).map(lambda t: t[0] * t[1]),
)


def assert_answered_kindly(status: int, text: str) -> None:
    assert status < 500, text
    assert "Traceback" not in text and 'File "' not in text


@fuzz
@given(text=command_text)
async def test_thanks_with_any_text_naming_nobody_real_stores_nothing(bot: Bot, text: str) -> None:
    reply = await bot.sender.command("/thanks", text, user_id=ALICE)
    assert_answered_kindly(reply.status, reply.text)
    assert reply.status == 200
    body = reply.json()
    if text.strip():
        assert body["response_type"] == "ephemeral" and body["text"].strip()
    else:
        assert body is None  # bare /thanks: the "Thank someone" form opens instead
    assert await bot.events() == []


def clean(note: str) -> bool:
    """No control or format character but a newline and what emoji and scripts need: the
    joiners, and tag characters only inside a subdivision flag (after 🏴)."""
    for i, ch in enumerate(note):
        if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\u200c\u200d":
            continue
        if (
            0xE0020 <= ord(ch) <= 0xE007F
            and i
            and (note[i - 1] == "🏴" or 0xE0020 <= ord(note[i - 1]) <= 0xE007F)
        ):
            continue
        return False
    return True


@fuzz
@given(note=command_text)
async def test_thanks_to_a_real_person_with_any_note_is_stored_once_and_clean(
    bot: Bot, note: str
) -> None:
    before = len(await bot.events())
    reply = await bot.sender.command("/thanks", f"<@{BOB}> for {note}", user_id=ALICE)
    assert_answered_kindly(reply.status, reply.text)
    events = await bot.events()
    assert len(events) == before + 1
    stored = events[-1].note
    assert len(stored) <= 300 and clean(stored) and "<!" not in stored


@fuzz
@given(text=command_text)
async def test_giveback_with_any_text_answers_with_valid_blocks(bot: Bot, text: str) -> None:
    reply = await bot.sender.command("/giveback", text, user_id=ALICE)
    assert_answered_kindly(reply.status, reply.text)
    body = reply.json()
    check_blocks(body.get("blocks"))
    assert await bot.events() == []


@fuzz
@given(
    body=st.one_of(st.binary(max_size=2000).map(lambda b: b.decode("latin-1")), st.text()),
    content_type=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "text/plain", ""]
    ),
)
@example(body="0", content_type="application/json")  # found by make soak: JSON, not an object
@example(body="[]", content_type="application/json")
@example(body="null", content_type="application/json")
@example(body="payload=5", content_type="application/x-www-form-urlencoded")
async def test_malformed_signed_bodies_never_cause_a_server_error(
    bot: Bot, body: str, content_type: str
) -> None:
    reply = await bot.sender.post(body, content_type)
    assert_answered_kindly(reply.status, reply.text)
    assert await bot.events() == []


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip
event_type = st.sampled_from(["app_mention", "message", "reaction_added", "team_join", "nonsense"])


@fuzz
@given(
    event=st.fixed_dictionaries(
        {"type": event_type},
        optional={
            "user": st.one_of(st.just(ALICE), stranger, json_value),
            "text": st.one_of(command_text, json_value),
            "channel": st.one_of(st.just("C0001"), json_value),
            "ts": st.one_of(st.just("1700000000.000100"), json_value),
            "bot_id": st.just("B999"),
        },
    ),
    outer=st.dictionaries(
        st.sampled_from(["type", "team_id", "event_id", "authorizations", "api_app_id"]),
        json_value,
        max_size=3,
    ),
)
@example(event={"type": "app_mention", "user": ALICE, "text": [None]}, outer={})  # make soak
async def test_events_with_missing_or_odd_fields_never_cause_a_server_error(
    bot: Bot, event: dict, outer: dict
) -> None:
    body = bot.sender.event_body(event) | outer
    reply = await bot.sender.post(json.dumps(body), "application/json")
    assert_answered_kindly(reply.status, reply.text)
    assert await bot.events() == []


@fuzz
@given(
    payload=st.dictionaries(
        st.sampled_from(["type", "user", "actions", "view", "trigger_id", "callback_id", "team"]),
        json_value,
        max_size=6,
    )
)
async def test_unknown_interaction_payloads_never_cause_a_server_error(
    bot: Bot, payload: dict
) -> None:
    form = urlencode({"payload": json.dumps(payload)})
    reply = await bot.sender.post(form, "application/x-www-form-urlencoded")
    assert_answered_kindly(reply.status, reply.text)
    assert await bot.events() == []


command_fields = [
    "team_id",
    "user_id",
    "command",
    "text",
    "trigger_id",
    "channel_id",
    "response_url",
]


@fuzz
@given(
    dropped=st.sets(st.sampled_from(command_fields), min_size=1),
    odd=st.dictionaries(st.sampled_from(command_fields), st.text(string.printable, max_size=40)),
)
async def test_commands_with_missing_or_odd_fields_never_cause_a_server_error(
    bot: Bot, dropped: set[str], odd: dict[str, str]
) -> None:
    form = {
        "team_id": "T0001",
        "user_id": ALICE,
        "command": "/thanks",
        "text": f"<@{BOB}> for the review",
        "trigger_id": "1.2.fuzz",
        "channel_id": "C0001",
        "response_url": bot.fake.response_url(),
    }
    form = {k: v for k, v in (form | odd).items() if k not in dropped}
    reply = await bot.sender.post(urlencode(form), "application/x-www-form-urlencoded")
    assert_answered_kindly(reply.status, reply.text)
    for event in await bot.events():  # only a complete, well-formed command may be recorded
        assert event.giver_id == BOB and event.receiver_id == ALICE
