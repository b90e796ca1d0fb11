"""Repository-relative paths for CI formats (SARIF, GitHub annotations).

Code scanning and workflow annotations resolve paths against the repository root, whatever
directory loopcheck ran in, so paths are made relative to the enclosing git checkout (or the
working directory outside one), with forward slashes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional
from urllib.parse import quote


def source_root(cwd: Optional[Path] = None) -> Path:
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def relative_path(path: str, root: Path) -> Optional[str]:
    """`path` relative to `root` with forward slashes, or None when it lies outside `root`."""
    if path == "-":
        return None
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def artifact_uri(path: str, root: Path) -> tuple[str, bool]:
    """(uri, relative?): a percent-encoded relative URI below `root`, else an absolute file URI."""
    relative = relative_path(path, root)
    if relative is not None:
        return quote(relative), True
    if path == "-":
        return "stdin", True
    return Path(path).resolve().as_uri(), False
