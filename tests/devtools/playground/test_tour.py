"""The tour in examples/, run as a newcomer would, and the CLI around the playground."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.devtools.playground.terminal import Transcript, run_script
from tests.support.paths import ROOT

TOUR = ROOT / "examples" / "tour.txt"
START = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # a Monday morning in New York


@pytest.fixture
async def tour(tmp_path: Path) -> Transcript:
    lines = TOUR.read_text(encoding="utf-8").splitlines()
    return await run_script(lines, database=str(tmp_path / "tour.db"), start=START)


async def test_tour_shows_announcements_what_people_did_and_help(tour: Transcript) -> None:
    text = tour.text
    assert tour.not_understood == []
    assert "alice> /thanks @bob for the review of the billing fix" in text
    assert "🙌 @alice thanked @bob: the review of the billing fix" in text
    assert "🙌 @alice thanked @carol and @dave: pairing on the release" in text
    assert "giveback in #general, in the thread of #2" in text  # the mention answered in thread
    # Mistakes are explained privately.
    assert "only visible to alice:\n    Who helped you?" in text
    assert "Bots and apps can't be thanked here (@deploybot)" in text
    # What each did: Alice was helped five times by three colleagues, Bob helped her twice.
    assert "3 colleagues helped you in the last 90 days (5 times)" in text
    assert "• @bob (twice)" in text and "• @carol (twice)" in text and "• @dave (once)" in text
    assert "bob> /giveback" in text
    assert "You helped 1 colleague in the last 90 days (twice)" in text
    # Kenji reads Japanese; the channel reads the workspace's English, with his own words.
    assert "🙌 @kenji thanked @bob: the onboarding session" in text
    assert "あなたの力になってくださった方" in text
    assert "⏱  Mon 23 Nov 2026 14:00 UTC → Mon 30 Nov 2026 14:00 UTC" in text
    assert "Traceback" not in text and "\x1b" not in text
    assert not re.search(r"\b(?:ledger|owes?|owed|balance|thank back)\b|お返し", text.lower())


async def test_tour_skips_only_what_this_build_cannot_do(tour: Transcript) -> None:
    for line in tour.skipped:
        assert line.startswith("? ")
        assert line.removeprefix("? ") not in tour.text


async def test_tour_shows_thanks_cost_nothing_and_the_give_first_moment(tour: Transcript) -> None:
    assert tour.skipped == []  # every feature the tour shows is on this build
    # Five thanks, no ask yet: her first ask goes straight out.
    first = tour.text.split("alice> /ask Who knows how to rotate the deploy keys?\n", 1)[1]
    assert first.startswith("#6 giveback in #general\n    🙋 @alice is asking for help:")
    assert "[1] I can help  [2] Resolved  [3] Withdraw" in tour.text
    assert "dave> press I can help on 6\n  dave pressed [1] I can help" in tour.text
    assert "#8 giveback → DM to alice\n    🤝 @dave can help with your ask" in tour.text
    assert "✅ @alice's ask is resolved, thanks to @dave." in tour.text
    # Asking on and on without lending a hand: the next ask waits, with Carol's ask to help on.
    held = tour.text.split("alice> /ask Who has a spare hour to pair on the flaky test?\n", 1)[1]
    prompt = held.split("alice> press I can help", 1)[0]
    assert "only visible to alice" in prompt and "Before your ask goes out" in prompt
    assert "@carol asks: Could someone proofread the release notes" in prompt
    assert "[1] I can help" in prompt and "[2] Post it now" in prompt
    assert not re.search(r"\d", re.sub(r"\[\d\]", "", prompt))  # no counts, no scores
    pressed = held.split("alice> press I can help", 1)[1].split("\n# ", 1)[0]
    assert "· 🤝 Offered to help: @alice" in pressed  # Carol's ask shows the offer
    assert "DM to carol\n    🤝 @alice can help with your ask" in pressed
    assert "🙋 @alice is asking for help:\n    │ Who has a spare hour" in pressed  # posted
    assert "(replaced)\n    Your ask is posted." in pressed


async def test_tour_shows_who_could_help_and_mentioning_them(tour: Transcript) -> None:
    posted = tour.text.split("alice> /ask Who knows how to rotate the deploy keys?\n", 1)[1]
    posted = posted.split("alice> as dave", 1)[0]
    assert "Who could help: colleagues thanked these people for similar help" in posted
    assert "@bob · thanked for similar help\n    [1] Mention in my ask" in posted
    assert "giveback → DM to bob" in posted and "I added @bob to your ask" in posted


async def test_tour_shows_reaction_shortcut_and_home(tour: Transcript) -> None:
    text = tour.text
    assert "alice reacted 🙌 to #10" in text
    # Three reactions, one reply in the thread, edited in place.
    assert (
        "#11 giveback in #general, in the thread of #10\n    · 🙌 alice thanked @bob for this"
        in text
    )
    assert "#11 giveback in #general, in the thread of #10 (edited)" in text
    assert "🙌 alice, dave and erin thanked @bob for this" in text
    assert "#12 giveback in #general, in the thread of #10\n    🙌 @carol thanked @bob" in text
    assert 'Modal "Thank the author" for carol' in text and "Who helped you?: @bob" in text
    assert "About this message: https://fake.slack.com/archives/C0001/" in text
    assert "alice's App Home\n    ━━ Your giveback ━━" in text
    assert "People who were there for you lately" in text
    assert "• @bob helped you 3 times" in text
    assert "you offered to help once and asked for a hand 3 times" in text


async def test_tour_shows_the_private_thanks_dm_the_typo_hint_and_thanks_received(
    tour: Transcript,
) -> None:
    text = tour.text
    assert 'dave> shortcut thanks_global\nModal "Thank someone" for dave' in text
    dm = text.split("giveback → DM to carol\n", 1)[1]
    assert dm.startswith("    🙌 @dave thanked you: the release checklist\n    · New to giveback?")
    assert "Did you mean `/giveback help`?" in text
    home = text.split("bob's App Home", 1)[1]
    assert "Thanks you received\n    • @carol · Nov 23: the vault tip" in home
    assert "• @erin · Nov 23: a thank-you reaction in #general" in home


async def test_tour_week_later_welcomes_once_and_invites_only_the_asker(tour: Transcript) -> None:
    week = tour.text.split("time +7d", 1)[1]
    # The sweep ran every quarter hour: everyone who used giveback heard once, in their morning.
    for person in ("alice", "bob", "carol", "dave", "erin"):
        assert re.search(rf"DM to {person} · [^\n]*\n    ━━ Welcome to giveback ━━", week), person
    assert "DM to kenji · Mon 30 Nov 10:00 kenji's time\n    ━━ giveback へようこそ ━━" in week
    assert week.count("Welcome to giveback") == 5  # once each: Erin only reacted, that is use
    assert "Your ask from 3 days ago got offers from @alice" in week  # Carol closes the loop
    # Alice, who asked and asked, is invited on her next Monday morning: to Kenji's ask.
    invited = week.split("DM to alice · Mon 30 Nov 10:00 alice's time\n", 1)[1]
    assert invited.startswith("    Hi @alice! A few colleagues could use a hand right now.")
    assert "@kenji asks: デプロイ手順書をレビューしていただけますか？" in invited
    assert not re.search(r"\d", invited.split("[1] I can help")[0].replace("@alice", ""))
    assert week.count("A few colleagues could use a hand") == 1  # nobody else is invited


def test_cli_script_prints_the_plain_transcript(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["playground", "--script", str(TOUR), "--start", "2026-11-23T14:00:00Z"])
    out = capsys.readouterr().out
    assert code == 0
    assert "#1 giveback in #general" in out and "\x1b" not in out


def test_cli_script_that_cannot_be_read_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["playground", "--script", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("giveback: cannot read the script") and err.count("\n") == 1


def _giveback(args: list[str], cwd: Path, stdin: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GIVEBACK_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.main", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
    )


def test_run_without_credentials_explains_and_opens_the_playground(tmp_path: Path) -> None:
    done = _giveback(
        ["run", "--fallback-playground"], tmp_path, "/thanks @bob for the docs\nquit\n"
    )
    assert done.returncode == 0, done.stderr
    assert "SLACK_BOT_TOKEN is not set, neither in the environment nor in .env" in done.stdout
    assert "README.md" in done.stdout
    assert "🙌 @alice thanked @bob: the docs" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []  # the throwaway database went away with it


def test_run_with_a_token_in_dotenv_stays_strict(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\n")
    done = _giveback(["run", "--fallback-playground"], tmp_path, "")
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET is required" in done.stderr
    assert "playground" not in done.stdout


def test_plain_run_stays_strict_without_credentials(tmp_path: Path) -> None:
    done = _giveback(["run"], tmp_path, "")
    assert done.returncode == 2 and "SLACK_BOT_TOKEN is not set" in done.stderr


def test_playground_keeps_data_in_the_given_database(tmp_path: Path) -> None:
    db = tmp_path / "kept.db"
    first = _giveback(["playground", "--database", str(db)], tmp_path, "/thanks @bob for it\n")
    assert first.returncode == 0 and db.is_file()
    again = _giveback(["playground", "--database", str(db)], tmp_path, "as bob\n/giveback\n")
    assert "You helped 1 colleague in the last 90 days (once)" in again.stdout


async def test_a_section_with_an_optional_line_the_app_lacks_is_left_out(tmp_path: Path) -> None:
    script = [
        "# Shown: everything here works.",
        "/thanks @bob for the docs",
        "# Left out: the app has no /nope, so this whole section goes.",
        "say about to try something",
        "? /nope please",
        "",
        "# Shown again, and a typo is reported, not fatal.",
        "as bob",
        "thanks @alice",
    ]
    out = await run_script(script, database=str(tmp_path / "s.db"), start=START)
    assert out.skipped == ["? /nope please"] and out.not_understood == ["thanks @alice"]
    assert "# Shown: everything here works." in out.text and "thanks @bob for the docs" in out.text
    assert "Left out" not in out.text and "about to try" not in out.text
    assert "alice> as bob" in out.text and "Did you mean `/thanks @alice`" in out.text


def test_a_database_that_cannot_be_opened_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "missing-dir" / "x.db"
    assert main(["playground", "--database", str(bad), "--script", str(TOUR)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"giveback: cannot use the database {bad}") and err.count("\n") == 1
