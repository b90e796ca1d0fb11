"""Finding the files to check and reading them as text."""
from __future__ import annotations

import io
import os
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

DEFAULT_EXCLUDES = (".git", ".venv", "venv", "build", "dist", "__pycache__", ".tox", "node_modules",
                    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", ".ipynb_checkpoints",
                    ".loopcheck_cache")
CHECKED_SUFFIXES = (".py", ".ipynb")
STDIN = "-"
# Larger files are not read: a symlink to /dev/zero must not fill memory. Notebooks carry their
# outputs (images as base64), so they get more room than hand-written Python ever needs.
MAX_BYTES = {".py": 8 << 20, ".ipynb": 64 << 20}


def is_notebook(path: str) -> bool:
    return path.endswith(".ipynb")


class UnreadableFile(Exception):
    """A file that cannot be checked; the message is one line for the user."""


@dataclass(frozen=True)
class Target:
    path: str            # as given or as found while walking; "-" for stdin
    display: str         # what reports show


Excluder = Callable[[Path, bool], bool]
"""`excluder(path, is_dir)`: True when discovery must skip `path`."""


def name_excluder(names: Iterable[str]) -> Excluder:
    """Skip folders whose name is one of `names` (and *.egg-info folders)."""
    excluded = frozenset(names)

    def excluder(path: Path, is_dir: bool) -> bool:
        return is_dir and (path.name in excluded or path.name.endswith(".egg-info"))

    return excluder


def discover(paths: Sequence[str], excludes: "Iterable[str] | Excluder" = DEFAULT_EXCLUDES, *,
             force_exclude: bool = False, respect_gitignore: bool = True) -> Iterator["Target | UnreadableFile"]:
    """Files named explicitly are always checked (unless `force_exclude`, which pre-commit needs,
    as it names every file); folders are walked for *.py and *.ipynb, skipping excluded and
    .gitignore'd paths."""
    excluder = excludes if callable(excludes) else name_excluder(excludes)
    for raw in paths:
        if raw == STDIN:
            yield Target(STDIN, "-")
            continue
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path, excluder, respect_gitignore):
                yield found if isinstance(found, UnreadableFile) else Target(str(found), str(found))
        elif path.is_file():
            if force_exclude and _excluded_with_parents(path, excluder):
                continue
            yield Target(raw, raw)     # an empty file is a valid, clean Python file
        elif path.exists():
            yield UnreadableFile(f"{raw}: not a regular file")
        else:
            yield UnreadableFile(f"{raw}: no such file or directory")


def _excluded_with_parents(path: Path, excluder: Excluder) -> bool:
    absolute = path.resolve()
    cwd = Path.cwd()
    if excluder(absolute, False):
        return True
    # Only the folders below the working directory: excluding `/home/me/build/proj/x.py` because
    # some far ancestor is called `build` would surprise everyone.
    return any(excluder(parent, True) for parent in absolute.parents if cwd in parent.parents)


def _walk(root: Path, excluder: Excluder, respect_gitignore: bool) -> "Iterator[Path | UnreadableFile]":
    """Files in `root`, in order; folders that cannot be listed and invalid .gitignore lines come
    back as UnreadableFile, so the run reports them and still checks the rest."""
    from loopcheck.gitignore import IgnoreRules, rules_above

    problems: list[str] = []

    def unlisted(error: OSError) -> None:
        problems.append(f"{error.filename}: cannot list folder ({error.strerror or error})")

    rules_by_dir: dict[str, IgnoreRules] = {}
    if respect_gitignore:
        rules_by_dir[str(root)] = rules_above(root, problems)
    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted):
        yield from (UnreadableFile(problem) for problem in problems)
        problems.clear()
        folder = Path(dirpath)
        rules = rules_by_dir.pop(dirpath, None)
        if rules is not None and folder != root:
            rules = rules.with_file(folder / ".gitignore", problems=problems)
            yield from (UnreadableFile(problem) for problem in problems)
            problems.clear()
        absolute = folder.resolve()
        kept = []
        for name in sorted(dirnames):
            child = absolute / name
            if excluder(child, True) or (rules is not None and rules.ignored(child, True)):
                continue
            kept.append(name)
            if rules is not None:
                rules_by_dir[os.path.join(dirpath, name)] = rules
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.endswith(CHECKED_SUFFIXES):
                continue
            child = absolute / name
            if excluder(child, False) or (rules is not None and rules.ignored(child, False)):
                continue
            yield folder / name
    yield from (UnreadableFile(problem) for problem in problems)


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
    return decode(read_bytes(target, stdin), target.display)


def read_bytes(target: Target, stdin: "io.BufferedReader | None" = None) -> bytes:
    if target.path == STDIN:
        import sys

        return (stdin or sys.stdin.buffer).read()
    return read_regular_file(target.path, target.display)


def read_regular_file(path: str, display: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; anything else (a FIFO, a device behind a
    symlink, a huge file) is UnreadableFile. Opened without blocking, so a FIFO cannot hang."""
    limit = MAX_BYTES[".ipynb" if path.endswith(".ipynb") else ".py"]
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise UnreadableFile(f"{display}: {error.strerror or error}") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"{display}: not a regular file ({_kind(info.st_mode)}); skipped")
        if info.st_size > limit:
            raise UnreadableFile(f"{display}: file is larger than {limit >> 20} MiB; skipped")
        try:
            data = file.read(limit + 1)
        except OSError as error:
            raise UnreadableFile(f"{display}: {error.strerror or error}") from None
    if len(data) > limit:      # it grew while being read
        raise UnreadableFile(f"{display}: file is larger than {limit >> 20} MiB; skipped")
    return data


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))
    return next((name for test, name in kinds if test(mode)), "a special file")
