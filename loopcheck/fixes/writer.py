"""Writing a fixed file safely, keeping what makes it the same file.

- Atomic: the new text goes to a temporary file in the target's folder (same filesystem), is
  flushed to disk, gets the original's mode and owner, and replaces the original with
  `os.replace`; a crash leaves either the old or the new file, never half of one.
- Identity: a symlink is written through to its target (the link stays a link); a file with
  other hard links is rewritten in place, so that every name sees the fix; a file whose owner
  cannot be given to the new file is rewritten in place as well. Read-only files are refused.
- No lost edits: if the file changed since it was read (an editor saved it, another tool ran),
  it is not overwritten; the size, modification time and bytes are compared just before writing.
- No litter: the temporary file's name carries the writer's process id, so a later `--fix` in
  the same folder removes the ones a killed run left behind (`.train.py.loopcheck-1234-ab12cd.tmp`).
"""
from __future__ import annotations

import io
import os
import secrets
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path

from loopcheck.files import decode

TEMP_MARK = ".loopcheck-"
TEMP_SUFFIX = ".tmp"


class FileChanged(Exception):
    """The file on disk is no longer the one that was read, or may not be written."""


@dataclass(frozen=True)
class Snapshot:
    path: Path          # the file itself: a symlink resolved to its target
    data: bytes
    text: str
    encoding: str
    mtime_ns: int
    size: int


def source_encoding(data: bytes) -> str:
    """How Python reads these bytes (BOM, coding cookie, else UTF-8): the encoding to write back."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    return encoding


def read_snapshot(path: "str | Path", display: str) -> Snapshot:
    path = Path(os.path.realpath(path))
    before = path.stat()
    data = path.read_bytes()
    text = decode(data, display)
    return Snapshot(path, data, text, source_encoding(data), before.st_mtime_ns, before.st_size)


def unchanged(snapshot: Snapshot) -> bool:
    try:
        now = snapshot.path.stat()
        if (now.st_mtime_ns, now.st_size) != (snapshot.mtime_ns, snapshot.size):
            return False
        return snapshot.path.read_bytes() == snapshot.data   # same size and mtime can still differ
    except OSError:
        return False


def write_atomic(snapshot: Snapshot, text: str, display: str = "") -> None:
    """Replace the snapshot's file with `text` (same encoding, BOM and newlines).
    Raises FileChanged (changed meanwhile, or read-only) or OSError."""
    display = display or str(snapshot.path)
    data = text.encode(snapshot.encoding)   # `utf-8-sig` writes the BOM back
    if not unchanged(snapshot):
        raise FileChanged(f"{display}: changed on disk while fixing; not overwritten")
    info = snapshot.path.stat()
    if not info.st_mode & 0o222 or not os.access(snapshot.path, os.W_OK):
        raise FileChanged(f"{display}: file is read-only; not fixed")
    remove_stale_temporaries(snapshot.path)
    if info.st_nlink > 1 or not _replace(snapshot, data, info, display):
        _write_in_place(snapshot, data, display)


def _replace(snapshot: Snapshot, data: bytes, info: os.stat_result, display: str) -> bool:
    """The atomic path. False, having changed nothing, when the new file could not get the
    original's owner (then only an in-place write keeps it)."""
    target = snapshot.path
    temporary = target.parent / f".{target.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(3)}{TEMP_SUFFIX}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        written = temporary.stat()
        if (written.st_uid, written.st_gid) != (info.st_uid, info.st_gid):
            try:
                os.chown(temporary, info.st_uid, info.st_gid)
            except PermissionError:
                temporary.unlink()
                return False
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        if not unchanged(snapshot):         # the window since the first test: check once more
            raise FileChanged(f"{display}: changed on disk while fixing; not overwritten")
        os.replace(temporary, target)
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise
    return True


def _write_in_place(snapshot: Snapshot, data: bytes, display: str) -> None:
    """Rewrite the file's own bytes: keeps its inode (hard links, owner, mode, ACLs)."""
    with open(snapshot.path, "r+b") as handle:
        if not unchanged(snapshot):
            raise FileChanged(f"{display}: changed on disk while fixing; not overwritten")
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def remove_stale_temporaries(path: Path) -> None:
    """Delete the temporary files in `path`'s folder that runs killed mid-write left behind."""
    try:
        names = [name for name in os.listdir(path.parent)
                 if name.startswith(".") and TEMP_MARK in name and name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for name in names:
        pid = name[:-len(TEMP_SUFFIX)].rsplit(TEMP_MARK, 1)[1].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            try:
                os.unlink(path.parent / name)
            except OSError:
                pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
