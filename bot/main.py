"""The ``giveback`` command line: run, migrate, export."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.config import ConfigError, Settings, configure_logging, database_path, load_environ
from bot.models import HelpEvent
from storage import open_store, parse_database_url
from storage.errors import StoreUnavailable
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="giveback", description="Log who helped whom in Slack.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="start the bot (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)")
    sub.add_parser("migrate", help="apply database migrations (safe to repeat)")
    copy = sub.add_parser(
        "migrate-data", help="copy the whole ledger to another database (e.g. to PostgreSQL)"
    )
    copy.add_argument("--from", dest="source", required=True, metavar="URL", help="sqlite:///a.db")
    copy.add_argument("--to", dest="target", required=True, metavar="URL", help="postgresql://...")
    export = sub.add_parser("export", help="write the ledger to stdout")
    export.add_argument(
        "--format", choices=("csv", "json"), default="json", help="json = JSON Lines"
    )
    export.add_argument("--team", help="only this workspace (team id)")
    export.add_argument(
        "--since", type=_iso_time, help="only events at or after this ISO-8601 time"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    environ = load_environ()
    try:
        if args.command == "run":
            settings = Settings.from_env(environ)
            configure_logging(settings.log_level)
            from bot.server import serve  # imported late: the other commands need no Slack libs

            asyncio.run(serve(settings))
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
    except (ConfigError, UsageError) as exc:
        print(f"giveback: {exc}", file=sys.stderr)
        return 2
    except (StoreUnavailable, TransferError) as exc:
        print(f"giveback: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


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
    from bot.migrate_data import migrate_data  # rich is only needed here

    try:
        await migrate_data(source, target)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


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


def _iso_time(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


if __name__ == "__main__":
    sys.exit(main())
