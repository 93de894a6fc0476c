"""Installation tokens sealed at rest (bot.sealing), the key setting, keygen and reseal."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.config import ConfigError, Settings
from bot.sealing import BadKey, Sealer, Unreadable, check_key, is_sealed, new_key
from storage import open_store
from storage.installations import Key

DOCUMENT = {"team_id": "T2", "bot_token": "xoxb-T2-secret", "bot_scopes": ["commands"]}
OLD, NEW = new_key(), new_key()


def test_a_sealed_document_hides_the_token_and_opens_again() -> None:
    sealer = Sealer((NEW,))
    stored = sealer.seal(DOCUMENT)
    assert is_sealed(stored) and "xoxb-" not in json.dumps(stored)
    assert sealer.open(stored) == DOCUMENT


def test_without_a_key_documents_are_stored_as_they_are() -> None:
    assert Sealer().seal(DOCUMENT) == DOCUMENT
    assert Sealer().open(DOCUMENT) == DOCUMENT
    assert Sealer((NEW,)).open(DOCUMENT) == DOCUMENT  # saved before the key was set


def test_a_sealed_document_needs_one_of_its_keys() -> None:
    stored = Sealer((OLD,)).seal(DOCUMENT)
    with pytest.raises(Unreadable, match="GIVEBACK_TOKEN_KEY"):
        Sealer().open(stored)
    with pytest.raises(Unreadable, match="no key"):
        Sealer((NEW,)).open(stored)
    assert Sealer((NEW, OLD)).open(stored) == DOCUMENT  # rotating: the old key still opens


def test_reseal_moves_documents_to_the_newest_key_once() -> None:
    rotating = Sealer((NEW, OLD))
    from_old = rotating.reseal(Sealer((OLD,)).seal(DOCUMENT))
    assert from_old is not None and Sealer((NEW,)).open(from_old) == DOCUMENT
    from_plain = rotating.reseal(DOCUMENT)
    assert from_plain is not None and is_sealed(from_plain)
    assert rotating.reseal(from_old) is None  # sealed with the newest key already


def test_keys_are_checked() -> None:
    check_key(new_key())
    with pytest.raises(BadKey):
        check_key("not-a-key")


def test_the_setting_takes_one_key_or_several_newest_first() -> None:
    base = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    assert Settings.from_env(base).token_keys == ()
    both = Settings.from_env({**base, "GIVEBACK_TOKEN_KEY": f"{NEW}, {OLD}"})
    assert both.token_keys == (NEW, OLD)
    assert NEW not in repr(both)
    with pytest.raises(ConfigError, match="GIVEBACK_TOKEN_KEY: key 2 is not a key"):
        Settings.from_env({**base, "GIVEBACK_TOKEN_KEY": f"{NEW},oops"})


def test_keygen_prints_a_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen"]) == 0
    check_key(capsys.readouterr().out.strip())


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "giveback.db"
    monkeypatch.setenv("GIVEBACK_DATABASE", str(path))
    monkeypatch.delenv("GIVEBACK_TOKEN_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


async def test_reseal_seals_what_was_stored_before_the_key(
    database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = await open_store(str(database))
    await store.installations.save(
        Key(None, "T2"), user_id="U1", installation=DOCUMENT, bot=DOCUMENT, installed_at=1
    )
    await store.close()

    monkeypatch.setenv("GIVEBACK_TOKEN_KEY", NEW)
    assert await asyncio.to_thread(main, ["reseal"]) == 0
    assert await asyncio.to_thread(main, ["reseal"]) == 0  # nothing left to do
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "sealed 2 installation document(s) with the first key",
        "sealed 0 installation document(s) with the first key",
    ]
    store = await open_store(str(database))
    try:
        bot = await store.installations.find_bot(Key(None, "T2"))
        installation = await store.installations.find(Key(None, "T2"), user_id="U1")
    finally:
        await store.close()
    assert bot is not None and installation is not None
    assert Sealer((NEW,)).open(bot) == DOCUMENT == Sealer((NEW,)).open(installation)
    raw = await asyncio.to_thread(database.read_bytes)
    assert b"xoxb-" not in raw  # not in the file either


def test_reseal_without_a_key_is_one_clear_line(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    assert main(["reseal"]) == 2
    assert capsys.readouterr().err.strip() == (
        "giveback: set GIVEBACK_TOKEN_KEY first (`giveback keygen` prints a key)"
    )
