"""Block Kit as a terminal shows it: plain lines, buttons numbered so you can press them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.devtools.playground.world import unescape

Block = dict[str, Any]
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_EMOJI = {
    "raised_hands": "🙌",
    "raising_hand": "🙋",
    "pray": "🙏",
    "heart_hands": "🫶",
    "heart": "❤️",
    "tada": "🎉",
    "wave": "👋",
    "sparkles": "✨",
    "bulb": "💡",
    "handshake": "🤝",
    "seedling": "🌱",
    "white_check_mark": "✅",
    "thumbsup": "👍",
    "+1": "👍",
    "calendar": "📅",
    "bar_chart": "📊",
    "bell": "🔔",
    "hourglass": "⌛",
    "star": "⭐",
    "trophy": "🏆",
    "information_source": "ℹ️",
    "warning": "⚠️",
    "speech_balloon": "💬",
    "mailbox": "📫",
}
_QUOTE = re.compile(r"^>\s?", re.M)  # mrkdwn block quotes
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    block_id: str
    value: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Line:
    text: str
    style: str = ""  # a rich style; ignored in plain transcripts


def text_of(obj: Any) -> str:
    """A text object (mrkdwn or plain_text) or a string, as plain readable text."""
    raw = obj.get("text", "") if isinstance(obj, dict) else str(obj or "")
    text = _QUOTE.sub("│ ", unescape(str(raw)))
    return emojize(_BOLD.sub(r"\1", text))


def emojize(text: str) -> str:
    return _EMOJI_CODE.sub(lambda m: _EMOJI.get(m.group(1), m.group(0)), text)


def buttons(blocks: list[Block] | None) -> list[Button]:
    """Every button in reading order: the order of the numbers shown next to them."""
    found: list[Button] = []
    for block in blocks or []:
        elements = block.get("elements", []) if block.get("type") == "actions" else []
        accessory = block.get("accessory")
        for element in [*elements, *([accessory] if isinstance(accessory, dict) else [])]:
            if element.get("type") == "button":
                found.append(
                    Button(
                        label=text_of(element.get("text")),
                        action_id=str(element.get("action_id", "")),
                        block_id=str(block.get("block_id", "")),
                        value=element.get("value"),
                        url=element.get("url"),
                    )
                )
    return found


def render(blocks: list[Block] | None, fallback: str, indent: str = "    ") -> list[Line]:
    """Lines for a message or view; the plain ``text`` fallback when there are no blocks."""
    if not blocks:
        return [Line(indent + row) for row in text_of(fallback).splitlines() or [""]]
    lines: list[Line] = []
    numbered = iter(range(1, 1000))
    for block in blocks:
        lines += _block(block, numbered, indent)
    return lines


def _block(block: Block, numbered: Any, indent: str) -> list[Line]:
    kind = block.get("type")
    if kind == "header":
        return [Line(indent + f"━━ {text_of(block.get('text'))} ━━", "bold")]
    if kind == "divider":
        return [Line(indent + "─" * 40, "dim")]
    if kind == "context":
        parts = [text_of(e) if e.get("type") != "image" else "" for e in block.get("elements", [])]
        return [Line(indent + "· " + row, "dim") for row in " ".join(parts).splitlines()]
    if kind == "section":
        out = [Line(indent + row) for row in text_of(block.get("text")).splitlines()]
        for field in block.get("fields", []):
            out += [Line(indent + "  " + row) for row in text_of(field).splitlines()]
        accessory = block.get("accessory")
        if isinstance(accessory, dict):
            out.append(Line(indent + _element(accessory, numbered), "cyan"))
        return out
    if kind == "actions":
        return [Line(indent + "  ".join(_element(e, numbered) for e in block["elements"]), "cyan")]
    if kind == "input":
        return []  # modals list their fields separately (see modals.py)
    if kind == "image":
        return [Line(indent + f"[image: {block.get('alt_text', '')}]", "dim")]
    if kind == "rich_text":
        return [Line(indent + row) for row in _rich_text(block).splitlines()]
    return [Line(indent + f"[{kind} block]", "dim")]


def _element(element: Block, numbered: Any) -> str:
    kind = element.get("type", "")
    if kind == "button":
        label = f"[{next(numbered)}] {text_of(element.get('text'))}"
        return label + (" ↗" if element.get("url") else "")
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    placeholder = text_of(element.get("placeholder")) if element.get("placeholder") else ""
    return f"[{kind.replace('_', ' ')}{': ' + placeholder if placeholder else ''}]"


def _rich_text(block: Block) -> str:
    def walk(node: Any) -> str:
        if isinstance(node, list):
            return "".join(walk(n) for n in node)
        if not isinstance(node, dict):
            return ""
        if node.get("type") == "text":
            return str(node.get("text", ""))
        if node.get("type") == "user":
            return unescape(f"<@{node.get('user_id', '')}>")
        if node.get("type") == "emoji":
            return emojize(f":{node.get('name', '')}:")
        if node.get("type") == "link":
            return str(node.get("text") or node.get("url", ""))
        return walk(node.get("elements", []))

    return walk(block.get("elements", []))
