"""The OAuth half of the fake Slack: ``oauth.v2.access`` and per-workspace bot tokens.

A test grants a code for a workspace (as Slack does after someone clicks "Allow"), the app
exchanges it, and later calls with that token are answered as that workspace's.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]


@dataclass
class Grant:
    team_id: str
    team_name: str
    user_id: str
    scopes: tuple[str, ...]
    bot_token: str = ""
    used: bool = False


@dataclass
class FakeOAuth:
    client_id: str = "1111.2222"
    client_secret: str = field(default="fake-client-secret", repr=False)
    app_id: str = "A0001"
    bot_user_id: str = "UBOT"
    grants: dict[str, Grant] = field(default_factory=dict)
    token_teams: dict[str, str] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def grant(
        self,
        team_id: str,
        *,
        team_name: str = "",
        user_id: str = "UINSTALLER",
        scopes: tuple[str, ...] = ("commands", "chat:write", "users:read"),
    ) -> str:
        """A one-time code, as Slack puts in the redirect after the installer says yes."""
        code = f"code-{next(self._ids)}"
        self.grants[code] = Grant(team_id, team_name or f"Workspace {team_id}", user_id, scopes)
        return code

    def team_for(self, token: str) -> str | None:
        return self.token_teams.get(token)

    def access(self, args: JsonDict) -> JsonDict:
        """``oauth.v2.access``, answered in the shape Slack documents for a bot install."""
        if (args.get("client_id"), args.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return {"ok": False, "error": "invalid_client_id"}
        grant = self.grants.get(str(args.get("code")))
        if grant is None or grant.used:
            return {"ok": False, "error": "invalid_code"}
        grant.used = True
        grant.bot_token = f"xoxb-{grant.team_id}-{next(self._ids)}"
        self.token_teams[grant.bot_token] = grant.team_id
        return {
            "ok": True,
            "access_token": grant.bot_token,
            "token_type": "bot",
            "scope": ",".join(grant.scopes),
            "bot_user_id": self.bot_user_id,
            "app_id": self.app_id,
            "team": {"id": grant.team_id, "name": grant.team_name},
            "enterprise": None,
            "authed_user": {"id": grant.user_id},
            "is_enterprise_install": False,
        }


def client_credentials(authorization: str) -> JsonDict:
    """client_id/client_secret from an HTTP Basic header (how the SDK sends them)."""
    if not authorization.startswith("Basic "):
        return {}
    try:
        decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
    except ValueError:
        return {}
    client_id, _, secret = decoded.partition(":")
    return {"client_id": client_id, "client_secret": secret}
