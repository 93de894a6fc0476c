"""The ``giveback`` command line: run, migrate, export."""

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

from bot.config import ConfigError, Settings, configure_logging, database_path, load_environ
from bot.models import HelpEvent
from storage.sqlite import SqliteStore

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="giveback", description="Log who helped whom in Slack.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="start the bot (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)")
    sub.add_parser("migrate", help="apply database migrations (safe to repeat)")
    export = sub.add_parser("export", help="write the ledger to stdout")
    export.add_argument(
        "--format", choices=("csv", "json"), default="json", help="json = JSON Lines"
    )
    export.add_argument("--team", help="only this workspace (team id)")
    export.add_argument(
        "--since", type=_iso_time, help="only events at or after this ISO-8601 time"
    )
    nudge = sub.add_parser("nudge", help="preview (--dry-run) or run (--now) one nudge sweep")
    mode = nudge.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="print who would be nudged and why")
    mode.add_argument("--now", action="store_true", help="run one sweep now, sending for real")
    nudge.add_argument("--team", help="only this workspace (team id)")
    nudge.add_argument("--at", type=_iso_time, help="with --dry-run: pretend it is this time")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    environ = load_environ()
    try:
        if args.command == "run":
            settings = Settings.from_env(environ)
            configure_logging(settings.log_level)
            # Settings hold the secrets now; Bolt would otherwise read SLACK_BOT_TOKEN again on
            # its own (and warn), and child processes have no business inheriting them.
            for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
                os.environ.pop(name, None)
            from bot.server import serve  # imported late: the other commands need no Slack libs

            asyncio.run(serve(settings))
        elif args.command == "migrate":
            asyncio.run(_migrate(database_path(environ)))
        elif args.command == "export":
            _require_database(database_path(environ))
            asyncio.run(
                _export(database_path(environ), args.format, args.team, args.since, sys.stdout)
            )
        elif args.command == "nudge":
            _nudge(args, environ)
    except (ConfigError, UsageError) as exc:
        print(f"giveback: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


async def _migrate(path: str) -> None:
    store = await SqliteStore.open(path)
    try:
        print(f"{path}: schema version {await store.schema_version()}")
    finally:
        await store.close()


async def _export(
    path: str, fmt: str, team: str | None, since: datetime | None, out: TextIO
) -> None:
    store = await SqliteStore.open(path)
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


def _nudge(args: argparse.Namespace, environ: dict[str, str]) -> None:
    from bot import nudge_cli

    if args.at is not None and not args.dry_run:
        raise UsageError("--at works only with --dry-run")
    if args.dry_run:
        _require_database(database_path(environ))
        asyncio.run(nudge_cli.preview(database_path(environ), args.at, args.team, sys.stdout))
        return
    settings = Settings.from_env(environ)
    configure_logging(settings.log_level)
    _require_database(settings.database)
    asyncio.run(nudge_cli.sweep_now(settings, args.team, sys.stdout))


def _require_database(path: str) -> None:
    if not Path(path).is_file():
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


def _iso_time(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


if __name__ == "__main__":
    sys.exit(main())
