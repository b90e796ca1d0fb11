"""Helpers for the `loopcheck run` tests: the repository root, a CLI runner in a subprocess,
and the `# expect-runtime: LCxxx` markers of the fixtures. A module of its own, not conftest:
tests/runtime has a conftest too, and `from conftest import` would pick whichever came first."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
MARKER = re.compile(r"#.*expect-runtime:\s*((?:LC\d{3}[\s,]*)+)")


def expected_runtime(path: Path) -> set[tuple[str, int]]:
    """{(code, line)} from `# expect-runtime: LC101` comments."""
    found = set()
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        match = MARKER.search(text)
        if match:
            for code in re.findall(r"LC\d{3}", match.group(1)):
                found.add((code, number))
    return found


def cli_env(**extra: str) -> dict:
    env = dict(os.environ)
    # the repository may not be pip-installed: make `python -m loopcheck` importable anywhere
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Optional[Path] = None, timeout: float = 180, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loopcheck", "run", *args], cwd=cwd or REPO, env=cli_env(**env),
                          capture_output=True, text=True, timeout=timeout)
