"""The aiosqlite-shaped face of an asyncpg connection.

Area stores are written once, against the small part of aiosqlite they use: ``execute(sql,
params)`` with ``?`` or ``:name`` placeholders, then ``rowcount``, ``lastrowid``,
``fetchone()``, ``fetchall()`` and ``async for``. This module gives PostgreSQL the same face,
so the Python of every area is identical on both backends.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Generator, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import asyncpg

from storage.errors import IntegrityError

# Quoted literals, quoted names and comments are copied through untouched; '::' is a cast.
_TOKENS = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|::|\?|:([A-Za-z_][A-Za-z0-9_]*)""",
    re.DOTALL,
)
_RETURNS_ROWS = ("SELECT", "WITH", "VALUES", "SHOW", "TABLE", "EXPLAIN")


@lru_cache(maxsize=512)
def _compile(sql: str) -> tuple[str, tuple[str, ...] | int]:
    """SQL with ``$n`` placeholders, and the parameter names in order (or the ``?`` count)."""
    names: list[str] = []
    positional = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal positional
        token = match.group(0)
        if token == "?":
            positional += 1
            return f"${positional}"
        if match.group(1):
            name = match.group(1)
            if name not in names:
                names.append(name)
            return f"${names.index(name) + 1}"
        return token

    translated = _TOKENS.sub(replace, sql)
    if names and positional:
        raise ValueError("mixed ? and :name placeholders in one statement")
    return translated, tuple(names) if names else positional


def translate(sql: str, params: Any = ()) -> tuple[str, list[Any]]:
    """``?``/``:name`` SQL and its parameters as asyncpg wants them (``$1``, a list)."""
    translated, shape = _compile(sql)
    if isinstance(shape, tuple):
        if not isinstance(params, Mapping):
            raise TypeError("named placeholders need a mapping of parameters")
        return translated, [params[name] for name in shape]
    values = list(params or ())
    if len(values) != shape:
        raise ValueError(f"the statement has {shape} placeholders, {len(values)} values given")
    return translated, values


def _first_word(sql: str) -> str:
    stripped = sql.lstrip(" \t\n(")
    return stripped.split(None, 1)[0].upper() if stripped else ""


def _has_returning(sql: str) -> bool:
    return re.search(r"\bRETURNING\b", sql, re.IGNORECASE) is not None


class Cursor:
    """The rows (asyncpg Records: ``row["col"]`` and ``row[0]``) and counts of one statement."""

    def __init__(
        self, rows: Sequence[Any] = (), rowcount: int = -1, lastrowid: int | None = None
    ) -> None:
        self._rows = list(rows)
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Any:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[Any]:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Any]:
        while (row := await self.fetchone()) is not None:
            yield row

    async def close(self) -> None:
        self._rows = []


class _Call:
    """What ``execute`` returns, as in aiosqlite: awaitable, or ``async with ... as cursor``."""

    def __init__(self, coro: Any) -> None:
        self._coro = coro

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._coro.__await__()

    async def __aenter__(self) -> Cursor:
        return await self._coro

    async def __aexit__(self, *exc: object) -> None:
        return None


class Connection:
    """An asyncpg connection that answers like ``aiosqlite.Connection`` for area stores."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Any = ()) -> _Call:
        return _Call(self._execute(sql, params))

    async def executemany(self, sql: str, seq_of_params: Iterable[Any]) -> Cursor:
        batch = [translate(sql, params) for params in seq_of_params]
        if batch:
            with _integrity_errors():
                await self.raw.executemany(batch[0][0], [args for _, args in batch])
        return Cursor(rowcount=-1)

    async def _execute(self, sql: str, params: Any) -> Cursor:
        translated, args = translate(sql, params)
        word = _first_word(translated)
        with _integrity_errors():
            if word in _RETURNS_ROWS or _has_returning(translated):
                rows = await self.raw.fetch(translated, *args)
                return Cursor(rows, rowcount=len(rows) if word not in _RETURNS_ROWS else -1)
            if word == "INSERT":
                # aiosqlite offers lastrowid; PostgreSQL tells us only when asked.
                returning = translated.rstrip().rstrip(";") + " RETURNING *"
                rows = await self.raw.fetch(returning, *args)
                last = rows[-1]["id"] if rows and "id" in rows[-1] else None
                return Cursor((), rowcount=len(rows), lastrowid=last)
            status = await self.raw.execute(translated, *args)
        count = status.rsplit(" ", 1)[-1]
        return Cursor((), rowcount=int(count) if count.isdigit() else -1)


class _integrity_errors:
    """Turn asyncpg's constraint violations into the store's own IntegrityError."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any
    ) -> None:
        if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
            raise IntegrityError(str(exc)) from exc
