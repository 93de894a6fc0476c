"""The ``giveback`` command line: run, playground, migrate, export, stats, reindex, forget, purge,
nudge, keygen, reseal."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot import redaction
from bot.cli.parser import build_parser
from bot.config import (
    ConfigError,
    Settings,
    configure_logging,
    database_path,
    load_environ,
    token_keys,
)
from bot.domain.records import HelpEvent
from storage import open_store, parse_database_url
from storage.errors import StoreUnavailable
from storage.insights import TeamStats
from storage.transfer import TransferError

EXPORT_FIELDS = (
    "team_id",
    "giver_id",
    "receiver_id",
    "note",
    "source",
    "channel_id",
    "created_at",
    "counted",
)


class UsageError(Exception):
    """Bad command-line input: printed as one line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    environ = load_environ()
    try:
        if args.command == "playground" or (
            args.command == "run" and args.fallback_playground and not _has_bot_token(environ)
        ):
            return _playground(args)
        if args.command == "run":
            _run(environ)
        elif args.command == "migrate":
            asyncio.run(_migrate(database_path(environ)))
        elif args.command == "migrate-data":
            _require_database(args.source)
            asyncio.run(_migrate_data(args.source, args.target))
        elif args.command == "export":
            _require_database(database_path(environ))
            asyncio.run(
                _export(database_path(environ), args.format, args.team, args.since, sys.stdout)
            )
        elif args.command == "stats":
            _require_database(database_path(environ))
            asyncio.run(_stats(database_path(environ), args.team, sys.stdout))
        elif args.command == "reindex":
            _require_database(database_path(environ))
            asyncio.run(_reindex(database_path(environ), sys.stdout))
        elif args.command == "forget":
            _require_database(database_path(environ))
            asyncio.run(_forget(database_path(environ), args.team, args.user, sys.stdout))
        elif args.command == "purge":
            _require_database(database_path(environ))
            asyncio.run(_purge(database_path(environ), args.team, args.dry_run, sys.stdout))
        elif args.command == "nudge":
            _nudge(args, environ)
        elif args.command == "keygen":
            from bot.sealing import new_key

            print(new_key())
        elif args.command == "reseal":
            _require_database(database_path(environ))
            asyncio.run(_reseal(database_path(environ), token_keys(environ), sys.stdout))
    except (ConfigError, UsageError) as exc:
        print(f"giveback: {exc}", file=sys.stderr)
        return 2
    except (StoreUnavailable, TransferError) as exc:
        print(f"giveback: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _run(environ: dict[str, str]) -> None:
    settings = Settings.from_env(environ)
    configure_logging(settings.log_level, settings.log_format)
    redaction.remember(settings.signing_secret, settings.client_secret, *settings.token_keys)
    # Settings hold the secrets now; Bolt would otherwise read SLACK_BOT_TOKEN again on
    # its own (and warn), and child processes have no business inheriting them.
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        os.environ.pop(name, None)
    # Imported late: the other commands need no Slack libs.
    from bot.server import event_loop, serve

    with asyncio.Runner(loop_factory=event_loop) as runner:
        runner.run(serve(settings))


def _has_bot_token(environ: dict[str, str]) -> bool:
    return bool(environ.get("SLACK_BOT_TOKEN", "").strip())


def _playground(args: argparse.Namespace) -> int:
    from bot.devtools.playground import terminal  # imported late: it pulls in the whole app

    if args.command == "run":
        print(terminal.banner_missing_credentials(), flush=True)
        return terminal.main(database=None, script=None, start=None, verbose=False)
    return terminal.main(
        database=args.database, script=args.script, start=args.start, verbose=args.verbose
    )


async def _migrate(url: str) -> None:
    store = await open_store(url)
    try:
        print(f"{parse_database_url(url)}: schema version {await store.schema_version()}")
    finally:
        await store.close()


async def _export(
    path: str, fmt: str, team: str | None, since: datetime | None, out: TextIO
) -> None:
    store = await open_store(path)
    try:
        writer = csv.writer(out) if fmt == "csv" else None
        if writer:
            writer.writerow(EXPORT_FIELDS)
        async for event in store.events.export(team_id=team, since=since):
            row = export_row(event)
            if writer:
                writer.writerow(row[f] for f in EXPORT_FIELDS)
            else:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        await store.close()


async def _migrate_data(source: str, target: str) -> None:
    from bot.cli.migrate_data import migrate_data  # rich is only needed here

    try:
        await migrate_data(source, target)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


async def _stats(path: str, team: str | None, out: TextIO) -> None:
    store = await open_store(path)
    try:
        rows = await store.insights.stats(team_id=team)
    finally:
        await store.close()
    out.write(stats_table(rows))


def stats_table(rows: Sequence[TeamStats]) -> str:
    """A plain aligned table; ``-`` where the database cannot tell (no asks yet)."""
    header = ("team", "events", "people", "two-way ties", "open asks")
    body = [
        (
            r.team_id,
            f"{r.events:,}",
            f"{r.people:,}",
            f"{r.two_way_ties:,}",
            f"{r.open_asks:,}",
        )
        for r in rows
    ]
    if not body:
        return "no help recorded yet\n"
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in (header, *body)
    ]
    return "\n".join(lines) + "\n"


async def _reindex(path: str, out: TextIO) -> None:
    from bot.services.deps import build_deps
    from bot.services.suggest import rebuild_index

    store = await open_store(path)
    try:
        events = await rebuild_index(build_deps(store, lambda: datetime.now(UTC)))
    finally:
        await store.close()
    out.write(f"topic index rebuilt over {events:,} events\n")


async def _forget(path: str, team: str, user: str, out: TextIO) -> None:
    store = await open_store(path)
    try:
        forgotten = await store.privacy.forget(team_id=team, user_id=user)
    finally:
        await store.close()
    if forgotten.rows == 0:
        out.write(f"{user} in {team}: nothing stored\n")
    else:
        out.write(f"{user} in {team}: now {forgotten.token} ({forgotten.rows} rows changed)\n")


async def _purge(path: str, team: str, dry_run: bool, out: TextIO) -> None:
    """Erase the workspace's rows in every table (in batches), or say what would go."""
    store = await open_store(path)
    try:
        rows = await store.retention.held(team) if dry_run else await store.retention.erase(team)
    finally:
        await store.close()
    if not rows:
        out.write(f"{team}: nothing stored\n")
        return
    verb = "would erase" if dry_run else "erased"
    suffix = " (dry run: nothing changed)" if dry_run else ""
    out.write(f"{team}: {verb} {sum(rows.values()):,} rows{suffix}\n")
    width = max(len(table) for table in rows)
    for table, count in sorted(rows.items()):
        out.write(f"  {table.ljust(width)}  {count:>9,}\n")


async def _reseal(path: str, keys: tuple[str, ...], out: TextIO) -> None:
    from bot.sealing import Sealer, Unreadable

    if not keys:
        raise UsageError("set GIVEBACK_TOKEN_KEY first (`giveback keygen` prints a key)")
    store = await open_store(path)
    try:
        replaced = await store.installations.rewrite(Sealer(keys).reseal)
    except Unreadable as exc:
        raise UsageError(str(exc)) from None
    finally:
        await store.close()
    print(f"sealed {replaced} installation document(s) with the first key", file=out)


def _nudge(args: argparse.Namespace, environ: dict[str, str]) -> None:
    from bot.cli import nudge as nudge_cli

    if args.at is not None and not args.dry_run:
        raise UsageError("--at works only with --dry-run")
    if args.dry_run:
        _require_database(database_path(environ))
        asyncio.run(nudge_cli.preview(database_path(environ), args.at, args.team, sys.stdout))
        return
    settings = Settings.from_env(environ)
    configure_logging(settings.log_level, settings.log_format)
    _require_database(settings.database)
    asyncio.run(nudge_cli.sweep_now(settings, args.team, sys.stdout))


def _require_database(url: str) -> None:
    try:
        parsed = parse_database_url(url)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    path = parsed.target
    if parsed.backend == "sqlite" and not Path(path).is_file():
        raise UsageError(
            f"no database at {path} (set GIVEBACK_DATABASE, or run 'giveback migrate')"
        )


def export_row(event: HelpEvent) -> dict[str, object]:
    return {
        "team_id": event.team_id,
        "giver_id": event.giver_id,
        "receiver_id": event.receiver_id,
        "note": event.note,
        "source": event.source,
        "channel_id": event.channel_id,
        "created_at": event.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "counted": event.counted,
    }


if __name__ == "__main__":
    sys.exit(main())
