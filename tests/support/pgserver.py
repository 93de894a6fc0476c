"""A throwaway PostgreSQL cluster for tests and benchmarks: a temp dir, loopback, a free port.

``GIVEBACK_TEST_POSTGRES_URL`` (a superuser URL) is used instead when set. Otherwise the
Debian binaries are found on PATH or in /usr/lib/postgresql/*/bin; as root the server runs as
the ``postgres`` user, because initdb refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV_URL = "GIVEBACK_TEST_POSTGRES_URL"


class Unavailable(Exception):
    """PostgreSQL cannot be started here; the message says why."""


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise Unavailable(f"{name} not found (apt-get install postgresql)")
    return candidates[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def cluster(*, durable: bool = False) -> Iterator[str]:
    """Yield a superuser URL for a running server; stop it and delete its files after.

    ``durable=False`` turns fsync off: right for tests, wrong for benchmarks of commit cost.
    """
    if os.environ.get(ENV_URL):
        yield os.environ[ENV_URL]
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="giveback-pg-"))
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise Unavailable("running as root and runuser is missing")
        try:
            shutil.chown(root, user="postgres")
        except (LookupError, PermissionError) as exc:
            raise Unavailable(f"running as root and cannot use the postgres user: {exc}") from exc
        as_user = [runuser, "-u", "postgres", "--"]
    data, port = root / "data", _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {root} -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    try:
        _run(
            [
                *as_user,
                initdb,
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            ]
        )
        _run(
            [
                *as_user,
                pg_ctl,
                "-D",
                str(data),
                "-l",
                str(root / "log"),
                "-o",
                options,
                "-w",
                "-t",
                "30",
                "start",
            ]
        )
    except Unavailable:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"{Path(command[-1]).name}: {exc}") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise Unavailable(f"{' '.join(command[-2:])} failed: {' / '.join(tail)}")


def database_url(server_url: str, name: str) -> str:
    """The URL of database ``name`` on the same server."""
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"
