"""`# noqa` and `# loopcheck: ignore-file` suppression, read from the source text."""
from __future__ import annotations

import re
from typing import Iterable

from loopcheck.findings import Finding

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_IGNORE_FILE = re.compile(r"#\s*loopcheck:\s*ignore-file\b")


def ignores_file(source: str) -> bool:
    return bool(_IGNORE_FILE.search(source))


def noqa_codes(line: str) -> "set[str] | None":
    """None: no noqa; empty set: bare `# noqa` (everything); else the listed codes."""
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return set()
    return {c.upper() for c in re.split(r"[\s,]+", codes) if c}


def apply_noqa(findings: Iterable[Finding], source: str) -> list[Finding]:
    lines = source.splitlines()
    kept = []
    for finding in findings:
        line = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        codes = noqa_codes(line)
        if codes is None or (codes and finding.code not in codes):
            kept.append(finding)
    return kept
