"""What a cached result depends on besides its own file: the content of each project file its
analysis read (loopcheck.static.project_modules), and each path where it looked for one and found none.

Kept apart from the analysis so that a cache hit is validated without importing it.
"""
from __future__ import annotations

import os
from typing import Mapping, Optional

from loopcheck.files import UnreadableFile, read_regular_file

ABSENT = ""           # in a result's dependencies: nothing was at this path
# Checked file -> {project file its analysis (or the pre-filter's look at its imports) read:
# content hash, or ABSENT for a path looked for in vain}: what its cached result depends on.
READ_BY: dict[str, dict[str, str]] = {}


def content_hash(data: bytes) -> str:
    # hashlib (OpenSSL) is imported only by a run that reads another project file or a cache: a
    # run over one file that imports none does not pay for it.
    import hashlib

    return hashlib.sha256(data).hexdigest()


def digest_of(path: str) -> Optional[str]:
    try:
        return content_hash(read_regular_file(path, path))
    except UnreadableFile:
        return None


def unchanged(depends: Mapping[str, str]) -> bool:
    """Every file still has the content it had when a cached result was computed, and nothing has
    appeared where nothing was."""
    return all(not os.path.exists(path) if digest == ABSENT else digest_of(path) == digest
               for path, digest in depends.items())


def dependencies(file: str) -> dict[str, str]:
    """The project files (path -> content hash, or ABSENT) that the last analysis of `file` (or the
    pre-filter's look at its imports, when it skipped the file) read or looked for."""
    return READ_BY.get(os.path.abspath(file), {})
