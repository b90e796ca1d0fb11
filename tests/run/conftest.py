"""Fixtures of the `loopcheck run` tests; their helpers are in run_helpers.py."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def script(tmp_path: Path):
    """Write a script into tmp_path: script("name.py", source) -> Path."""
    def write(name: str, source: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        return path
    return write
