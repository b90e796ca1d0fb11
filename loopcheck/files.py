"""Finding the files to check and reading them as text."""
from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

DEFAULT_EXCLUDES = (".git", ".venv", "venv", "build", "dist", "__pycache__", ".tox", "node_modules",
                    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs")
CHECKED_SUFFIXES = (".py", ".ipynb")
STDIN = "-"


class UnreadableFile(Exception):
    """A file that cannot be checked; the message is one line for the user."""


@dataclass(frozen=True)
class Target:
    path: str            # as given or as found while walking; "-" for stdin
    display: str         # what reports show


def discover(paths: Sequence[str], excludes: Iterable[str] = DEFAULT_EXCLUDES) -> Iterator["Target | UnreadableFile"]:
    """Files named explicitly are always checked; folders are walked for *.py and *.ipynb."""
    excluded = set(excludes)
    for raw in paths:
        if raw == STDIN:
            yield Target(STDIN, "-")
            continue
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path, excluded):
                yield Target(str(found), str(found))
        elif path.is_file():
            yield Target(raw, raw)
        elif path.exists():
            yield UnreadableFile(f"{raw}: not a regular file")
        else:
            yield UnreadableFile(f"{raw}: no such file or directory")


def _walk(root: Path, excluded: set[str]) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in excluded and not d.endswith(".egg-info"))
        for name in sorted(filenames):
            if name.endswith(CHECKED_SUFFIXES):
                yield Path(dirpath) / name


def decode(data: bytes, display: str) -> str:
    """Decode as Python would (BOM, coding cookie, default UTF-8); a failure is UnreadableFile."""
    if not data.strip():
        return data.decode("utf-8", errors="replace")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        reason = getattr(error, "reason", None) or str(error).splitlines()[0]
        raise UnreadableFile(f"{display}: cannot decode file ({reason}); is it UTF-8?") from None


def read_text(target: Target, stdin: "io.BufferedReader | None" = None) -> str:
    if target.path == STDIN:
        import sys

        data = (stdin or sys.stdin.buffer).read()
    else:
        try:
            data = Path(target.path).read_bytes()
        except OSError as error:
            raise UnreadableFile(f"{target.display}: {error.strerror or error}") from None
    return decode(data, target.display)
