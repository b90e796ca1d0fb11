"""Run a fixture script in this process, under a discovering Watcher, as `loopcheck run` does."""
from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

from loopcheck.runtime.watch import Watcher

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def expected(path: Path) -> set[tuple[str, int]]:
    from markers import expected as markers_expected

    return markers_expected(path, "expect-runtime")


def run_fixture(path: Path, **kwargs):  # noqa: ANN201
    """The Watcher (after exit) and the exception the script raised, if any."""
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv[:] = [str(path)]
    sys.path.insert(0, str(path.parent))
    error = None
    watcher = Watcher(quiet=True, discover=True, device_audit=True, **kwargs)
    try:
        with watcher:
            try:
                runpy.run_path(str(path), run_name="__main__")
            except Exception as exc:  # the LC106 fixtures raise on purpose
                error = exc
    finally:
        sys.argv[:] = saved_argv
        sys.path[:] = saved_path
    return watcher, error


def reported(watcher: Watcher, path: Path) -> set[tuple[str, int]]:
    return {
        (f.code, f.line) for f in watcher.report.findings
        if os.path.abspath(f.path) == str(path.resolve())
    }
