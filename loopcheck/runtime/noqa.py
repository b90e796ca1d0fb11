"""`# noqa` and `# loopcheck: ignore-file` silence runtime findings as they silence static ones.

A code names one problem whichever half sees it, so a line marked `# noqa: LC101` because the
accumulation there is intended must not come back from `loopcheck run` or `watch()`. The user's
files are read once, when the report is built (never while the loop runs).
"""
from __future__ import annotations

import os
from typing import Callable, Optional

from loopcheck.findings import Finding
from loopcheck.suppress import apply_noqa, ignores_file


def without_suppressed(findings: list[Finding], file_of: Callable[[str], str]) -> list[Finding]:
    """`findings` less those their file's comments suppress, in order; `file_of` maps a finding's
    shown path to the file on disk. Findings whose file cannot be read stay."""
    kept_ids: set[int] = set()
    for path in {f.path for f in findings}:
        group = [f for f in findings if f.path == path]
        source = _read(file_of(path))
        if source is None:
            kept_ids.update(id(f) for f in group)
        elif not ignores_file(source):
            kept_ids.update(id(f) for f in apply_noqa(group, source))
    return [f for f in findings if id(f) in kept_ids]


def _read(filename: str) -> Optional[str]:
    if not os.path.isfile(filename):   # <stdin>, <string>, notebook cells
        return None
    try:
        with open(filename, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None
