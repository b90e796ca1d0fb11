"""The static producer: libcst source -> event streams -> the shared rules. Never imports torch."""
from __future__ import annotations

from loopcheck.findings import Finding


def analyse(source: str, path: str) -> list[Finding]:
    """All findings for one file's source. Raises loopcheck.files.UnreadableFile on a syntax error."""
    from loopcheck.static.analysis import analyse_source

    return analyse_source(source, path)
