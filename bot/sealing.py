"""Tokens at rest: installation documents sealed with a key the database never sees.

With many workspaces (OAuth) the database holds every workspace's bot token. With
``GIVEBACK_TOKEN_KEY`` set, each installation document is stored as ``{"sealed": "<Fernet
token>"}`` (AES-128-CBC with an HMAC-SHA256, from the ``cryptography`` package), so a copy
of the database or a backup is no use without the key. Several keys, newest first, let a key
be rotated: the first seals, every one of them opens. Documents saved before a key was set
stay readable; ``giveback reseal`` seals them (and re-seals old-key ones) in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

SEALED = "sealed"


class BadKey(ValueError):
    """A key that is not a Fernet key (32 url-safe base64-encoded bytes)."""


class Unreadable(Exception):
    """A sealed document none of the keys opens (or no key is set)."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def check_key(key: str) -> None:
    _fernet(key)


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except (ValueError, TypeError) as exc:
        raise BadKey(str(exc)) from None


@dataclass(frozen=True)
class Sealer:
    keys: tuple[str, ...] = field(default=(), repr=False)  # newest first
    _fernet: MultiFernet | None = field(default=None, init=False, repr=False, compare=False)
    _newest: Fernet | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.keys:
            fernets = [_fernet(key) for key in self.keys]
            object.__setattr__(self, "_fernet", MultiFernet(fernets))
            object.__setattr__(self, "_newest", fernets[0])

    def seal(self, document: dict[str, Any]) -> dict[str, Any]:
        """The document as stored: sealed with the first key, or as it is without one."""
        if self._fernet is None:
            return document
        return {SEALED: self._fernet.encrypt(json.dumps(document).encode()).decode()}

    def open(self, stored: dict[str, Any]) -> dict[str, Any]:
        """The document a stored one holds; an unsealed one (saved before the key) as it is."""
        if not is_sealed(stored):
            return stored
        if self._fernet is None:
            raise Unreadable("installation tokens are sealed: set GIVEBACK_TOKEN_KEY")
        try:
            opened: dict[str, Any] = json.loads(self._fernet.decrypt(stored[SEALED].encode()))
        except InvalidToken:
            raise Unreadable("no key in GIVEBACK_TOKEN_KEY opens the stored tokens") from None
        return opened

    def reseal(self, stored: dict[str, Any]) -> dict[str, Any] | None:
        """The stored document sealed with the first key; None if it already is."""
        if self._newest is None:
            raise Unreadable("set GIVEBACK_TOKEN_KEY to seal the stored tokens")
        if is_sealed(stored):
            try:
                self._newest.decrypt(stored[SEALED].encode())
                return None  # sealed with the newest key already
            except InvalidToken:
                pass
        return self.seal(self.open(stored))


def is_sealed(stored: dict[str, Any]) -> bool:
    return set(stored) == {SEALED}
