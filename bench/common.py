"""What every benchmark shares: the machine's description, percentiles, progress, results."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

RESULTS = Path(__file__).resolve().parent / "results"
console = Console(stderr=True)


def progress() -> Progress:
    """A rich progress bar on a terminal; silent when output is piped (CI, make bench | tee)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=False,
    )


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def machine() -> dict[str, str]:
    """nproc, CPU model, RAM, OS, Python and SQLite versions."""
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ram_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as mem:
        for line in mem:
            if line.startswith("MemTotal:"):
                ram_kb = int(line.split()[1])
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "ram": f"{ram_kb / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


@dataclass
class Outcome:
    """One benchmark's figures, saved as JSON for ``bench.run_all`` to render."""

    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def check(self, what: str, value: float, target: str, met: bool) -> None:
        self.checks.append({"what": what, "value": value, "target": target, "met": met})
        mark = "[green]met[/]" if met else "[red]MISSED[/]"
        console.print(f"  {what}: {value:.3g} (target {target}) {mark}")

    def save(self) -> Path:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        data = asdict(self) | {"machine": machine()}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return path


def say(message: str) -> None:
    console.print(message)


def exit_code(outcome: Outcome) -> int:
    """0 even when a target is missed: the numbers are the result, not a pass/fail."""
    sys.stdout.flush()
    return 0 if outcome.rows or outcome.checks else 1
