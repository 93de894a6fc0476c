"""Slack's own published contracts, used to check what the bot sends and declares."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View


def _find_shared_slack() -> Path:
    """``../shared/slack`` from the project root; worktrees sit one level deeper, so look up."""
    here = Path(__file__).resolve()
    for parent in here.parents[1:]:
        candidate = parent / "shared" / "slack"
        if candidate.is_dir():
            return candidate
    return here.parents[2] / "shared" / "slack"


SHARED_SLACK = _find_shared_slack()
# Methods newer than the Oct 2020 OpenAPI copy; their required arguments are checked by hand.
NEWER_METHODS: dict[str, tuple[str, ...]] = {"apps.connections.open": ()}


def shared_file(name: str) -> Path:
    path = SHARED_SLACK / name
    if not path.is_file():
        pytest.skip(f"Slack's contracts are not at {SHARED_SLACK} (the shared/ folder is absent)")
    return path


@cache
def web_api_methods() -> dict[str, tuple[str, ...]]:
    """Method name -> required parameters (except ``token``), from the OpenAPI description."""
    spec = json.loads(shared_file("web_api_openapi_v2.json").read_text())
    methods: dict[str, tuple[str, ...]] = dict(NEWER_METHODS)
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            required = tuple(
                p["name"]
                for p in operation.get("parameters", [])
                if p.get("required") and p["name"] != "token"
            )
            methods[path.lstrip("/")] = required
    return methods


def check_web_api_call(method: str, args: dict[str, Any]) -> None:
    methods = web_api_methods()
    assert method in methods, f"{method} is not a Slack Web API method"
    missing = [name for name in methods[method] if name not in args]
    assert not missing, f"{method} called without required {missing}: {args}"


def check_blocks(blocks: list[dict[str, Any]] | None) -> None:
    """Blocks Slack would accept: each parses and validates with slack_sdk.models."""
    if not blocks:
        return
    assert len(blocks) <= 50, f"{len(blocks)} blocks in one message (Slack allows 50)"
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, f"unknown block {block}"
        parsed.validate_json()


def check_view(view: dict[str, Any]) -> None:
    """A modal or Home tab Slack would accept: ≤ 100 blocks, each of them valid."""
    View(**view).validate_json()
    for block in view.get("blocks") or []:
        parsed = Block.parse(block)
        assert parsed is not None, f"unknown block {block}"
        parsed.validate_json()
