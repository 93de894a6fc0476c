"""The container recipe: the Dockerfile installs giveback as the README says, and it works.

No Docker engine runs here, so the Dockerfile's install steps are done for real instead: copy
what its build stage copies, build the wheel with its command, install it into a fresh virtual
environment with its commands, then run ``giveback --help``, ``giveback migrate``, every
module's import and the image's HEALTHCHECK from that environment. About half a minute (pip
fetches the dependencies, from its cache when it can); ``-m "not packaging"`` leaves it out.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bench.procs import ServerProcess, bot_environ, free_port
from bot.devtools.fakeslack import FakeSlack
from tests.support.paths import ROOT

pytestmark = pytest.mark.packaging
VENV = "/opt/giveback"  # where the Dockerfile and the README install it
MIGRATIONS = sorted((ROOT / "storage" / "migrations").glob("[0-9]*.sql"))


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


def dockerfile_stages(path: Path) -> list[list[Instruction]]:
    """Instructions by stage (continuation lines joined, comments dropped)."""
    stages: list[list[Instruction]] = []
    joined = re.sub(r"\\\n\s*", " ", path.read_text())
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        stages[-1].append(Instruction(keyword.upper(), args.strip()))
    return stages


def readme_install_lines() -> list[str]:
    """The shell lines of the README's "Install as a package" block."""
    section = (ROOT / "README.md").read_text().split("### Install as a package", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


STAGES = dockerfile_stages(ROOT / "Dockerfile")
BUILD, FINAL = STAGES[0], STAGES[-1]
# The install steps: every RUN that builds, makes the venv or installs (not the user's set-up).
INSTALL = [
    i.args
    for stage in STAGES
    for i in stage
    if i.keyword == "RUN" and re.search(r"-m (pip|venv) ", i.args)
]


def test_the_image_is_slim_runs_giveback_unprivileged_and_checks_healthz() -> None:
    for stage in STAGES:
        assert re.fullmatch(r"python:3\.(1[1-9])-slim( AS \w+)?", stage[0].args), stage[0]
    [user] = [i.args for i in FINAL if i.keyword == "USER"]
    assert user.split(":")[0] not in ("root", "0")
    [command] = [i.args for i in FINAL if i.keyword == "CMD"]
    assert command == '["giveback", "run"]'
    [check] = [i.args for i in FINAL if i.keyword == "HEALTHCHECK"]
    assert "/healthz" in check


def test_the_dockerfile_installs_with_the_readmes_own_lines() -> None:
    assert INSTALL == readme_install_lines()
    assert any("pip wheel" in line for line in INSTALL)


def test_compose_runs_giveback_on_postgresql_with_a_volume_and_the_url_wired_in() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    giveback, db = compose["services"]["giveback"], compose["services"]["db"]
    assert giveback["build"] == "."
    assert "db" in giveback["depends_on"]
    url = giveback["environment"]["GIVEBACK_DATABASE"]
    env = db["environment"]
    expected = f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@db:5432/{env['POSTGRES_DB']}"
    assert url == expected
    [mount] = db["volumes"]
    volume, _, target = mount.partition(":")
    assert volume in compose["volumes"] and target == "/var/lib/postgresql/data"
    assert db["image"].startswith("postgres:")


@dataclass
class Installed:
    venv: Path
    work: Path

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / args[0]), *args[1:]],
            cwd=self.work,  # not the checkout: nothing may be imported from it
            env=clean_environ() | env,
            capture_output=True,
            text=True,
            timeout=120,
        )


def clean_environ() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "GIVEBACK_", "PYTHON", "VIRTUAL_ENV")) and k != "PORT"
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The Dockerfile's COPY and RUN steps, done here: sources copied, wheel built, venv made."""
    root = tmp_path_factory.mktemp("image")
    source, venv = root / "src", root / "venv"
    source.mkdir()
    for instruction in BUILD:
        if instruction.keyword == "COPY":
            *sources, target = shlex.split(instruction.args)
            for name in sources:
                copy(ROOT / name, source / name if target.endswith("/") else source / target)
    for line in INSTALL:
        command = line.replace(VENV, str(venv))
        command = re.sub(r"^python ", f"{shlex.quote(sys.executable)} ", command)
        done = subprocess.run(
            command,
            shell=True,  # the README's lines as a shell runs them (the wheel's glob)
            cwd=source,
            env=clean_environ(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    work = root / "work"
    work.mkdir()
    yield Installed(venv, work)


def copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        shutil.copy2(source, target)


def test_the_installed_command_answers_help_and_migrates(installed: Installed) -> None:
    helped = installed.run("giveback", "--help")
    assert helped.returncode == 0 and "usage: giveback" in helped.stdout
    database = installed.work / "migrated.db"
    migrated = installed.run("giveback", "migrate", GIVEBACK_DATABASE=str(database))
    assert migrated.returncode == 0, migrated.stderr
    latest = int(MIGRATIONS[-1].name.split("_")[0])
    assert migrated.stdout.strip().endswith(f"schema version {latest}")


def test_the_wheel_ships_every_module_and_its_dependencies(installed: Installed) -> None:
    packages = ("bot", "handlers", "storage")
    expected = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in packages
        for path in (ROOT / package).rglob("*.py")
    )
    script = (
        "import importlib, pkgutil, sys\n"
        f"names = []\nfor root in {packages!r}:\n"
        "    package = importlib.import_module(root)\n"
        "    assert 'site-packages' in package.__file__, package.__file__\n"
        "    names.append(root)\n"
        "    names += [m.name for m in pkgutil.walk_packages(package.__path__, root + '.')]\n"
        "for name in names:\n    importlib.import_module(name)\n"
        "print('\\n'.join(sorted(names)))\n"
    )
    imported = installed.run("python", "-c", script)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split() == expected


async def test_the_images_healthcheck_passes_against_the_installed_bot(
    installed: Installed, fake: FakeSlack
) -> None:
    [check] = [i.args for i in FINAL if i.keyword == "HEALTHCHECK"]
    command = check.split(" CMD ", 1)[1]
    health_port = free_port()
    env = bot_environ(
        fake.api_url, installed.work / "run.db", free_port(), GIVEBACK_HEALTH_PORT=str(health_port)
    )
    env = {k: v for k, v in env.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{installed.venv / 'bin'}:{env.get('PATH', '')}"  # as the image's ENV PATH
    bot = ServerProcess(
        [str(installed.venv / "bin" / "giveback"), "run"],
        env,
        health_port,  # ready once the probes' port listens
        installed.work / "run.log",
        cwd=installed.work,
    )
    await bot.start()
    try:
        checked = await asyncio.create_subprocess_shell(
            command, env=env, cwd=installed.work, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(checked.communicate(), 30)
        assert checked.returncode == 0, stderr
    finally:
        assert await bot.terminate() == 0, bot.tail()
