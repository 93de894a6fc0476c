"""Run the bot (or another server) as a real process on loopback: start, wait, stop, kill.

Used by the load benchmark and by the reliability tests that SIGKILL or SIGTERM the bot.
Nothing here imports rich, so the tests need only the dev dependencies.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SECRET = "bench-signing-secret"
EVENTS_PATH = "/slack/events"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_environ(api_url: str, database: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment ``giveback run`` needs in HTTP mode, pointed at a fake Slack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GIVEBACK_"))}
    env.update(
        {
            "SLACK_BOT_TOKEN": "xoxb-bench-token",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api_url,
            "GIVEBACK_DATABASE": str(database),
            "PORT": str(port),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


@dataclass
class ServerProcess:
    """A child process serving HTTP on ``port``; its output goes to ``log``."""

    argv: Sequence[str]
    env: Mapping[str, str]
    port: int
    log: Path
    cwd: Path | None = None
    process: asyncio.subprocess.Process | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    async def start(self, timeout: float = 20.0) -> None:
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv,
                env=dict(self.env),
                cwd=self.cwd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        await self._wait_listening(timeout)

    async def _wait_listening(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            assert self.process is not None
            if self.process.returncode is not None:
                raise RuntimeError(
                    f"server exited early ({self.process.returncode}): {self.tail()}"
                )
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                if loop.time() > deadline:
                    raise RuntimeError(
                        f"server not listening after {timeout}s: {self.tail()}"
                    ) from None
                await asyncio.sleep(0.05)
                continue
            writer.close()
            await writer.wait_closed()
            return

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    async def kill(self) -> int:
        """SIGKILL: no clean-up of any kind, like a crash or the OOM killer."""
        self.signal(signal.SIGKILL)
        return await self.wait()

    async def terminate(self, timeout: float = 20.0) -> int:
        self.signal(signal.SIGTERM)
        return await self.wait(timeout)

    async def wait(self, timeout: float = 20.0) -> int:
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def stop(self) -> None:
        """Whatever state it is in, make sure it is gone (for finally blocks)."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    def tail(self, lines: int = 20) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def giveback_process(api_url: str, database: Path, log: Path, **extra: str) -> ServerProcess:
    """``giveback run`` in HTTP mode, as deployed."""
    port = free_port()
    argv = [sys.executable, "-m", "bot.cli.main", "run"]
    env = bot_environ(api_url, database, port, **extra)
    # Run beside its log, not in the repo: a developer's .env there must not leak in.
    return ServerProcess(argv, env, port, log, cwd=log.parent)
