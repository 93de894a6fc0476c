"""Which workspace a request is for: the installing one, checked once for every listener.

Every row is scoped by the workspace that installed the app. That is Bolt's ``context.team_id``:
``view.app_installed_team_id`` for a modal, ``authorizations[0].team_id`` for an event, the
payload's team otherwise. A payload's own ``team.id`` is not it: in a Slack Connect channel, a
modal submitted from the other organisation's side names *that* organisation.

Refused here, with 200 (Slack retries anything else) and one log line, never a row:
- org-wide (Enterprise Grid) installs, whose payloads name no workspace (``"team": null``):
  giveback is installed per workspace (the manifests set ``org_deploy_enabled: false``);
- in single-token mode, a request for a workspace other than the token's own (``auth.test``):
  its people would be stored as a separate ledger and DMed with this workspace's token.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncBoltContext, AsyncBoltRequest
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse

from bot.i18n.catalog import t
from bot.slack.gate import Throttled

log = logging.getLogger(__name__)
INSTALLING_TEAM = "giveback_installing_team"
# Bolt's own listeners handle these with the installation store, org-wide ones included.
REVOCATIONS = ("app_uninstalled", "tokens_revoked")


class NotForThisWorkspace(Exception):
    """A listener ran without the workspace check (a bug: OneWorkspace runs first)."""


def team_of(context: AsyncBoltContext) -> str:
    """The installing workspace of this request, as :class:`OneWorkspace` checked it."""
    team = context.get(INSTALLING_TEAM)
    if not team:
        raise NotForThisWorkspace("no installing workspace for this request")
    return str(team)


class OneWorkspace(AsyncMiddleware):
    """Global middleware (after bot.slack.middleware.Prepare, which refuses malformed bodies):
    find the installing workspace, or answer 200 without running any listener."""

    def __init__(self, *, single_token: bool, language: str = "en") -> None:
        self._single_token = single_token
        self._language = language  # the bot's default: a refused request has no workspace
        self._org_wide = Throttled(log, "request(s) from an org-wide install")
        self._elsewhere = Throttled(log, "request(s) for another workspace")

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        body, context = req.body, req.context
        if _event_type(body) in REVOCATIONS:
            return await next()
        claimed = context.team_id
        if context.is_enterprise_install or not claimed:
            enterprise = context.enterprise_id or "?"
            self._org_wide.refused(f"enterprise {enterprise}; giveback installs per workspace")
            return self._refusal(body)
        if self._single_token:
            ours = context.authorize_result.team_id if context.authorize_result else None
            if ours and claimed != ours:
                self._elsewhere.refused(f"team {claimed}; this bot's token is for {ours}")
                return self._refusal(body)
        context[INSTALLING_TEAM] = claimed
        return await next()

    def _refusal(self, body: dict[str, Any]) -> BoltResponse:
        if not body.get("command"):
            return BoltResponse(status=200, body="")
        text = t(self._language, "workspace.elsewhere")
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": text}),
            headers={"content-type": ["application/json;charset=utf-8"]},
        )


def _event_type(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    return event.get("type") if isinstance(event, dict) else None
