"""The ``giveback`` command line: run, playground, migrate, export, stats, forget."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.config import ConfigError, Settings, configure_logging, database_path, load_environ
from bot.models import HelpEvent
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="giveback", description="Log who helped whom in Slack.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "run", help="start the bot (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)"
    )
    run.add_argument(
        "--fallback-playground",
        action="store_true",
        help="with no SLACK_BOT_TOKEN at all, say so and start the playground instead",
    )
    playground = sub.add_parser(
        "playground", help="try the bot in this terminal, with a stand-in for Slack"
    )
    playground.add_argument(
        "--script", metavar="FILE", help="run FILE's lines, print the transcript"
    )
    playground.add_argument(
        "--database", metavar="PATH", help="keep the data here (default: a throwaway database)"
    )
    playground.add_argument(
        "--start", type=_iso_time, metavar="TIME", help="start the clock at this ISO-8601 time"
    )
    playground.add_argument("--verbose", action="store_true", help="show the app's logs")
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
    stats = sub.add_parser("stats", help="print a summary table per workspace")
    stats.add_argument("--team", help="only this workspace (team id)")
    forget = sub.add_parser(
        "forget", help="anonymise a person (e.g. who left): notes removed, counts kept"
    )
    forget.add_argument("--team", required=True, type=_slack_id("T"), help="workspace (team id)")
    forget.add_argument("--user", required=True, type=_slack_id("UW"), help="Slack user id")
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
        if args.command == "playground" or (
            args.command == "run" and args.fallback_playground and not _has_bot_token(environ)
        ):
            return _playground(args)
        if args.command == "run":
            settings = Settings.from_env(environ)
            configure_logging(settings.log_level)
            # Settings hold the secrets now; Bolt would otherwise read SLACK_BOT_TOKEN again on
            # its own (and warn), and child processes have no business inheriting them.
            for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
                os.environ.pop(name, None)
            # Imported late: the other commands need no Slack libs.
            from bot.server import event_loop, serve

            with asyncio.Runner(loop_factory=event_loop) as runner:
                runner.run(serve(settings))
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
        elif args.command == "forget":
            _require_database(database_path(environ))
            asyncio.run(_forget(database_path(environ), args.team, args.user, sys.stdout))
        elif args.command == "nudge":
            _nudge(args, environ)
    except (ConfigError, UsageError) as exc:
        print(f"giveback: {exc}", file=sys.stderr)
        return 2
    except (StoreUnavailable, TransferError) as exc:
        print(f"giveback: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _has_bot_token(environ: dict[str, str]) -> bool:
    return bool(environ.get("SLACK_BOT_TOKEN", "").strip())


def _playground(args: argparse.Namespace) -> int:
    from bot.playground import terminal  # imported late: it pulls in the whole app

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
    from bot.migrate_data import migrate_data  # rich is only needed here

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


async def _forget(path: str, team: str, user: str, out: TextIO) -> None:
    store = await open_store(path)
    try:
        forgotten = await store.privacy.forget(team_id=team, user_id=user)
    finally:
        await store.close()
    if forgotten.rows == 0:
        out.write(f"{user} in {team}: nothing stored; {forgotten.token} reserved\n")
    else:
        out.write(f"{user} in {team}: now {forgotten.token} ({forgotten.rows} rows changed)\n")


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


def _slack_id(prefixes: str) -> Callable[[str], str]:
    """An argparse type for Slack ids (``T…``, ``U…``/``W…``): a typo fails before any change."""

    def parse(raw: str) -> str:
        value = raw.strip().upper()
        if not re.fullmatch(rf"[{prefixes}][A-Z0-9]{{2,}}", value):
            kind = "team" if prefixes == "T" else "user"
            raise argparse.ArgumentTypeError(f"not a Slack {kind} id: {raw!r}")
        return value

    return parse


if __name__ == "__main__":
    sys.exit(main())
