"""The source lines behind findings, read once per file (or notebook cell) for snippets and fingerprints."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from loopcheck.findings import Finding


class SourceLines:
    """Lines of the checked files. A file that cannot be read again (standard input, deleted
    since) has no lines, and reports simply show less."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, Optional[int]], list[str]] = {}

    def lines(self, finding: Finding) -> list[str]:
        loc = finding.location
        key = (loc.path, loc.cell)
        if key not in self._cache:
            self._cache[key] = self._read(loc.path, loc.cell)
        return self._cache[key]

    def line(self, finding: Finding) -> Optional[str]:
        lines = self.lines(finding)
        return lines[finding.line - 1] if 0 < finding.line <= len(lines) else None

    @staticmethod
    def _read(path: str, cell: Optional[int]) -> list[str]:
        if path == "-":
            return []
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        if cell is None:
            return text.splitlines()
        try:
            source = json.loads(text)["cells"][cell - 1]["source"]
        except (ValueError, KeyError, IndexError, TypeError):
            return []
        return ("".join(source) if isinstance(source, list) else str(source)).splitlines()
