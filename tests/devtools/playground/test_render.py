"""Block Kit and modals as the playground shows them (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.devtools.playground import modals
from bot.devtools.playground.blocks import Button, buttons, render


def _text(lines: list[Any]) -> str:
    return "\n".join(line.text for line in lines)


def _button(text: str, action_id: str, **extra: Any) -> dict[str, Any]:
    element = {"type": "button", "text": {"type": "plain_text", "text": text}}
    return element | {"action_id": action_id, **extra}


BLOCKS: list[dict[str, Any]] = [
    {"type": "header", "text": {"type": "plain_text", "text": "Your week"}},
    {
        "type": "section",
        "text": {"type": "mrkdwn", "text": ":tada: *<@UBOB>* helped <#C0001> &amp; more"},
        "fields": [{"type": "mrkdwn", "text": "*Given*\n3"}],
        "accessory": _button("Thank", "thank", value="UBOB"),
    },
    {"type": "divider"},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "Only you can see this."}]},
    {
        "type": "actions",
        "block_id": "ask:7",
        "elements": [
            _button("I can help", "offer", value="7"),
            {
                "type": "static_select",
                "action_id": "pick",
                "placeholder": {"type": "plain_text", "text": "Pick"},
            },
            _button("Ask anyway", "anyway", value="7"),
        ],
    },
    {"type": "image", "image_url": "https://x.test/a.png", "alt_text": "chart"},
    {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "hi "},
                    {"type": "user", "user_id": "UCAROL"},
                ],
            }
        ],
    },
    {"type": "video", "title": {"type": "plain_text", "text": "x"}},
]


def test_blocks_render_readably_with_numbered_buttons() -> None:
    assert _text(render(BLOCKS, "fallback")) == "\n".join(
        [
            "    ━━ Your week ━━",
            "    🎉 @bob helped #general & more",
            "      Given",
            "      3",
            "    [1] Thank",
            "    " + "─" * 40,
            "    · Only you can see this.",
            "    [2] I can help  [static select: Pick]  [3] Ask anyway",
            "    [image: chart]",
            "    hi @carol",
            "    [video block]",
        ]
    )


def test_buttons_are_listed_in_the_order_they_are_numbered() -> None:
    assert buttons(BLOCKS) == [
        Button("Thank", "thank", "", "UBOB"),
        Button("I can help", "offer", "ask:7", "7"),
        Button("Ask anyway", "anyway", "ask:7", "7"),
    ]


def test_text_fallback_when_there_are_no_blocks() -> None:
    assert (
        _text(render(None, "plain <@UALICE>\nsecond line")) == "    plain @alice\n    second line"
    )


VIEW = {
    "type": "modal",
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Ask the team"}},
        {
            "type": "input",
            "block_id": "q",
            "label": {"type": "plain_text", "text": "Question"},
            "element": {"type": "plain_text_input", "action_id": "q", "initial_value": "how?"},
        },
        {
            "type": "input",
            "block_id": "tags",
            "optional": True,
            "label": {"type": "plain_text", "text": "Tags"},
            "element": {
                "type": "checkboxes",
                "action_id": "tags",
                "options": [
                    {"text": {"type": "plain_text", "text": "Deploy keys"}, "value": "keys"},
                    {"text": {"type": "plain_text", "text": "CI"}, "value": "ci"},
                ],
            },
        },
        {
            "type": "input",
            "block_id": "people",
            "label": {"type": "plain_text", "text": "People"},
            "element": {"type": "multi_users_select", "action_id": "people"},
        },
    ],
}


def test_modal_fields_are_numbered_and_show_initial_values() -> None:
    assert _text(modals.render_fields(VIEW, {3: "@bob @carol"})) == "\n".join(
        [
            "    (1) Question: how?",
            "    (2) Tags (optional): …   choices: Deploy keys, CI",
            "    (3) People: @bob @carol   (type @names)",
        ]
    )


def test_modal_state_values_as_slack_sends_them() -> None:
    values = modals.state_values(VIEW, {2: "deploy keys, ci", 3: "@bob, carol"})
    assert values["q"]["q"] == {"type": "plain_text_input", "value": "how?"}
    assert [o["value"] for o in values["tags"]["tags"]["selected_options"]] == ["keys", "ci"]
    assert values["people"]["people"] == {
        "type": "multi_users_select",
        "selected_users": ["UBOB", "UCAROL"],
    }


@pytest.mark.parametrize(("number", "typed"), [(2, "docs"), (3, "@bob @zed")])
def test_modal_input_that_does_not_fit_is_refused(number: int, typed: str) -> None:
    field = modals.fields(VIEW)[number - 1]
    with pytest.raises(modals.FillError):
        modals.check(field, typed)
