"""The static producer: libcst source -> event streams -> the shared rules. Never imports torch."""
from __future__ import annotations

from typing import Optional

from loopcheck.findings import Finding


def analyse(source: str, path: str, notes: Optional[list[str]] = None, file: Optional[str] = None) -> list[Finding]:
    """All findings for one file's source; `notes` receives a line for each analysis limit it
    reached; with `file` (where it is on disk), also through the project files it imports.
    Raises loopcheck.files.UnreadableFile on a syntax error."""
    from loopcheck.static.analysis import analyse_source

    return analyse_source(source, path, notes, file)
