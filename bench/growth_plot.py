"""The growth plot of benchmark 3: query p99 and sweep time against workspace size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

QUERY_TARGET_MS = 50
SWEEP_TARGET_S = 20
SUGGEST_TARGET_MS = 100  # benchmark 5: who could help, inside /ask's 3-second ack
BUILD_TARGET_S = 60  # ...and the topic index built over 5M older events
STYLE = {"SQLite": ("o", "-"), "PostgreSQL": ("D", "--")}


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (queries, sweep) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    for backend, (marker, line) in STYLE.items():
        mine = [r for r in rows if r["backend"] == backend]
        if not mine:
            continue
        events = [r["events"] for r in mine]
        for column, label, colour in (
            ("ledger_p99_ms", "ledger p99", "tab:blue"),
            ("network_p99_ms", "network p99", "tab:orange"),
            ("ask_p99_ms", "/ask check p99", "tab:green"),
            ("ledger_uniform_p99_ms", "ledger p99, uniform draw", "tab:cyan"),
            ("network_uniform_p99_ms", "network p99, uniform draw", "tab:olive"),
        ):
            queries.plot(
                events,
                [r[column] for r in mine],
                marker=marker,
                linestyle=line if "uniform" not in column else ":",
                color=colour,
                label=f"{label} ({backend})",
            )
        swept = [r for r in mine if r.get("sweep_s") is not None]
        if swept:
            sweep.plot(
                [r["events"] for r in swept],
                [r["sweep_s"] for r in swept],
                marker=marker,
                linestyle=line,
                color="tab:red",
                label=f"dry-run sweep ({backend})",
            )
            for r in swept:
                sweep.annotate(
                    f"{r['sweep_peak_mb']:.0f} MB",
                    (r["events"], r["sweep_s"]),
                    textcoords="offset points",
                    xytext=(6, -10),
                    fontsize=7,
                )
    queries.axhline(QUERY_TARGET_MS, color="grey", linewidth=0.8, linestyle="--", label="target")
    queries.set_yscale("log")
    queries.set_ylabel("milliseconds (log)")
    queries.set_title("/giveback, network and /ask check: p99 by workspace size")
    queries.legend(fontsize=7)
    sweep.axhline(SWEEP_TARGET_S, color="grey", linewidth=0.8, linestyle="--", label="target")
    sweep.set_ylabel("seconds")
    sweep.set_title("nudge-planning dry-run sweep, 20k people (peak RSS)")
    sweep.legend(fontsize=7)
    for ax in (queries, sweep):
        ax.set_xscale("log")
        ax.set_xlabel("help events in the workspace (20k people)")
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_topics(rows: list[dict[str, Any]], path: Path) -> None:
    """Benchmark 5: suggestion p99 and index build time against workspace size, with the
    full-text baselines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (latency, build) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    for backend, marker, line in (("SQLite", "o", "-"), ("PostgreSQL", "D", "--")):
        mine = [r for r in rows if r["backend"] == backend]
        if not mine:
            continue
        events = [r["events"] for r in mine]
        baseline = "FTS5 bm25 per note" if backend == "SQLite" else "text search per note"
        latency.plot(
            events,
            [r["p99_ms"] for r in mine],
            marker=marker,
            linestyle=line,
            color="tab:blue",
            label=f"suggest p99 ({backend})",
        )
        latency.plot(
            events,
            [r["baseline_p99_ms"] for r in mine],
            marker=marker,
            linestyle=":",
            color="tab:grey",
            label=f"{baseline} p99 ({backend})",
        )
        build.plot(
            events,
            [r["build_s"] for r in mine],
            marker=marker,
            linestyle=line,
            color="tab:red",
            label=f"index build ({backend})",
        )
        build.plot(
            events,
            [r["baseline_build_s"] for r in mine],
            marker=marker,
            linestyle=":",
            color="tab:grey",
            label=f"{baseline} build, no analysis ({backend})",
        )
    latency.axhline(SUGGEST_TARGET_MS, color="grey", linewidth=0.8, linestyle="--", label="target")
    latency.set_yscale("log")
    latency.set_ylabel("milliseconds (log)")
    latency.set_title("who could help: p99 by workspace size")
    build.axhline(BUILD_TARGET_S, color="grey", linewidth=0.8, linestyle="--", label="target")
    build.set_ylabel("seconds")
    build.set_title("building the index over older events")
    for ax in (latency, build):
        ax.set_xscale("log")
        ax.set_xlabel("help events in the workspace (20k people)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
