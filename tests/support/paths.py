"""Where the project's own files are, for tests that read them (manifests, the tour, the CLI)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
