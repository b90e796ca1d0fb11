"""Writing a fixed file safely.

- Atomic: the new text goes to a temporary file in the same folder (same filesystem), is flushed
  to disk, gets the original's permissions, and replaces the original with `os.replace`; a crash
  leaves either the old or the new file, never half of one.
- No lost edits: if the file changed since it was read (an editor saved it, another tool ran),
  it is not overwritten; the size, modification time and bytes are compared just before replacing.
"""
from __future__ import annotations

import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path

from loopcheck.files import decode


class FileChanged(Exception):
    """The file on disk is no longer the one that was read."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    data: bytes
    text: str
    encoding: str
    mtime_ns: int
    size: int


def read_snapshot(path: "str | Path", display: str) -> Snapshot:
    path = Path(path)
    before = path.stat()
    data = path.read_bytes()
    text = decode(data, display)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    return Snapshot(path, data, text, encoding, before.st_mtime_ns, before.st_size)


def unchanged(snapshot: Snapshot) -> bool:
    try:
        now = snapshot.path.stat()
        if (now.st_mtime_ns, now.st_size) != (snapshot.mtime_ns, snapshot.size):
            return False
        return snapshot.path.read_bytes() == snapshot.data   # same size and mtime can still differ
    except OSError:
        return False


def write_atomic(snapshot: Snapshot, text: str) -> None:
    """Replace the snapshot's file with `text` (same encoding, BOM and newlines). Raises FileChanged."""
    data = text.encode(snapshot.encoding)   # `utf-8-sig` writes the BOM back
    if not unchanged(snapshot):
        raise FileChanged(f"{snapshot.path}: changed on disk while fixing; not overwritten")
    folder = snapshot.path.parent
    fd, temporary = tempfile.mkstemp(prefix=f".{snapshot.path.name}.", suffix=".loopcheck-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(snapshot.path.stat().st_mode))
        if not unchanged(snapshot):         # the window since the first test: check once more
            raise FileChanged(f"{snapshot.path}: changed on disk while fixing; not overwritten")
        os.replace(temporary, snapshot.path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
