"""Modal input fields: listed with numbers, filled from typed text, turned into ``state.values``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.devtools.playground.blocks import Line, text_of
from bot.devtools.playground.world import CHANNEL, name_of, person

JsonDict = dict[str, Any]
_SINGLE_OPTION = ("static_select", "radio_buttons", "external_select")
_MULTI_OPTION = ("multi_static_select", "checkboxes", "multi_external_select")


@dataclass(frozen=True)
class Field:
    number: int
    label: str
    block_id: str
    action_id: str
    element: JsonDict
    optional: bool

    @property
    def kind(self) -> str:
        return str(self.element.get("type", ""))


class FillError(ValueError):
    """Typed text that does not fit the field (an unknown option or person)."""


def fields(view: JsonDict) -> list[Field]:
    found: list[Field] = []
    for block in view.get("blocks", []):
        if block.get("type") == "input" and isinstance(block.get("element"), dict):
            found.append(
                Field(
                    number=len(found) + 1,
                    label=text_of(block.get("label")),
                    block_id=str(block.get("block_id", "")),
                    action_id=str(block["element"].get("action_id", "")),
                    element=block["element"],
                    optional=bool(block.get("optional")),
                )
            )
    return found


def render_fields(view: JsonDict, filled: dict[int, str], indent: str = "    ") -> list[Line]:
    lines = []
    for f in fields(view):
        shown = filled.get(f.number) or _initial(f) or "…"
        hint = _choices(f)
        suffix = " (optional)" if f.optional else ""
        lines.append(Line(f"{indent}({f.number}) {f.label}{suffix}: {shown}{hint}", "cyan"))
    return lines


def check(f: Field, typed: str) -> None:
    """Raise FillError if ``typed`` cannot go into ``f``."""
    _value(f, typed)


def state_values(view: JsonDict, filled: dict[int, str]) -> JsonDict:
    """``view.state.values`` as Slack sends it on submit: block_id → action_id → value."""
    values: JsonDict = {}
    for f in fields(view):
        typed = filled.get(f.number)
        state = _value(f, typed) if typed is not None else _initial_state(f)
        values.setdefault(f.block_id, {})[f.action_id] = {"type": f.kind, **state}
    return values


def _value(f: Field, typed: str) -> JsonDict:
    kind = f.kind
    if kind in _SINGLE_OPTION:
        return {"selected_option": _option(f, typed)}
    if kind in _MULTI_OPTION:
        parts = [part.strip() for part in typed.split(",") if part.strip()]
        return {"selected_options": [_option(f, part) for part in parts]}
    if kind == "users_select":
        return {"selected_user": _user(typed)}
    if kind == "multi_users_select":
        return {"selected_users": [_user(part) for part in _parts(typed)]}
    if kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
        return {key: CHANNEL}
    if kind == "datepicker":
        return {"selected_date": typed}
    return {"value": typed}


def _initial_state(f: Field) -> JsonDict:
    e = f.element
    if f.kind in _SINGLE_OPTION:
        return {"selected_option": e.get("initial_option")}
    if f.kind in _MULTI_OPTION:
        return {"selected_options": e.get("initial_options", [])}
    if f.kind == "users_select":
        return {"selected_user": e.get("initial_user")}
    if f.kind == "multi_users_select":
        return {"selected_users": e.get("initial_users", [])}
    return {"value": e.get("initial_value")}


def _initial(f: Field) -> str:
    e = f.element
    if "initial_option" in e:
        return text_of(e["initial_option"].get("text"))
    if e.get("initial_user"):
        return "@" + name_of(str(e["initial_user"]))
    if e.get("initial_users"):
        return " ".join("@" + name_of(str(u)) for u in e["initial_users"])
    for key in ("initial_value", "initial_date"):
        if e.get(key):
            return str(e[key])
    return ""


def _options(f: Field) -> list[JsonDict]:
    groups = f.element.get("option_groups") or []
    return list(f.element.get("options") or []) + [o for g in groups for o in g.get("options", [])]


def _option(f: Field, typed: str) -> JsonDict:
    wanted = typed.strip().lower()
    for option in _options(f):
        if wanted in (str(option.get("value", "")).lower(), text_of(option.get("text")).lower()):
            return option
    choices = ", ".join(text_of(o.get("text")) for o in _options(f))
    raise FillError(f"`{typed}` is not one of: {choices}")


def _user(typed: str) -> str:
    found = person(typed)
    if found is None:
        raise FillError(f"nobody here is called `{typed.strip().lstrip('@')}`")
    return found.id


def _parts(typed: str) -> list[str]:
    return [p for p in typed.replace(",", " ").split() if p]


def _choices(f: Field) -> str:
    options = _options(f)
    if options:
        return "   choices: " + ", ".join(text_of(o.get("text")) for o in options)
    if f.kind in ("users_select", "multi_users_select"):
        return "   (type @names)"
    return ""
