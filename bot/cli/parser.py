"""The ``giveback`` command line's arguments (bot.cli.main runs them)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import UTC, datetime


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="giveback", description="Log who helped whom in Slack.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _serving(sub)
    _data(sub)
    _people(sub)
    nudge = sub.add_parser("nudge", help="preview (--dry-run) or run (--now) one nudge sweep")
    mode = nudge.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="print who would be nudged and why")
    mode.add_argument("--now", action="store_true", help="run one sweep now, sending for real")
    nudge.add_argument("--team", help="only this workspace (team id)")
    nudge.add_argument("--at", type=_iso_time, help="with --dry-run: pretend it is this time")
    sub.add_parser("keygen", help="print a new key for GIVEBACK_TOKEN_KEY")
    sub.add_parser(
        "reseal", help="seal every stored installation token with GIVEBACK_TOKEN_KEY's first key"
    )
    return parser


def _serving(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``run`` and ``playground``."""
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


def _data(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The database as a whole: ``migrate``, ``migrate-data``, ``export``, ``stats``,
    ``reindex``."""
    sub.add_parser("migrate", help="apply database migrations (safe to repeat)")
    copy = sub.add_parser(
        "migrate-data", help="copy everything to another database (e.g. to PostgreSQL)"
    )
    copy.add_argument("--from", dest="source", required=True, metavar="URL", help="sqlite:///a.db")
    copy.add_argument("--to", dest="target", required=True, metavar="URL", help="postgresql://...")
    export = sub.add_parser("export", help="write every help event to stdout")
    export.add_argument(
        "--format", choices=("csv", "json"), default="json", help="json = JSON Lines"
    )
    export.add_argument("--team", help="only this workspace (team id)")
    export.add_argument(
        "--since", type=_iso_time, help="only events at or after this ISO-8601 time"
    )
    stats = sub.add_parser("stats", help="print a summary table per workspace")
    stats.add_argument("--team", help="only this workspace (team id)")
    sub.add_parser(
        "reindex",
        help="build the topic index (who could help) again from every event, e.g. after"
        " upgrading the analyser's dictionary; the bot may keep serving",
    )


def _people(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Erasing: ``forget`` a person, ``purge`` a workspace."""
    forget = sub.add_parser(
        "forget", help="anonymise a person (e.g. who left): notes removed, counts kept"
    )
    forget.add_argument("--team", required=True, type=_slack_id("T"), help="workspace (team id)")
    forget.add_argument("--user", required=True, type=_slack_id("UW"), help="Slack user id")
    purge = sub.add_parser(
        "purge", help="erase everything stored for a workspace (e.g. after it uninstalled)"
    )
    purge.add_argument("--team", required=True, type=_slack_id("T"), help="workspace (team id)")
    purge.add_argument(
        "--dry-run", action="store_true", help="print what would be erased; change nothing"
    )


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
