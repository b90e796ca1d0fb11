"""Which files a run's fixes may edit: only those it checks, never the files they import.

Apart from the fixing itself because a check run asks it too (how many findings --fix would fix),
and should not import the fix machinery to know.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Collection

from loopcheck.checker import FileResult, file_of
from loopcheck.findings import Finding


def key(path: str) -> Path:
    return Path(os.path.abspath(path))


def in_unchecked_files(result: FileResult, checked: "Collection[Path]") -> list[Finding]:
    """The findings of a result in imported files that the run does not check: no fix edits them."""
    return [f for f in result.findings if f.path != result.display
            and key(file_of(f.path, result.display, result.path)) not in checked]
