"""Fixing one source text: apply fixes one at a time, re-analysing after each, until none apply.

Re-analysing after every fix keeps positions right (an inserted line shifts everything below)
and lets the analyser, not the fixer, decide whether the problem is gone: the findings returned
as `remaining` come from a final re-check of the fixed text.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Optional

from loopcheck.checker import Settings, check_python
from loopcheck.findings import Finding
from loopcheck.fixes import apply_one, fixable

MAX_FIXES = 100    # a guard against fixers that keep producing changes the analyser still reports


@dataclass
class FixOutcome:
    source: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


def fix_source(source: str, display: str, settings: Settings = Settings(), unsafe: bool = False,
               file: Optional[str] = None) -> FixOutcome:
    """With `file`, where the source is on disk, the analysis reads the project files it imports, as
    `check` does; findings in those files are reported, never fixed: only `source` is edited."""
    current = source
    fixed: list[Finding] = []
    tried: set[tuple[str, str, int, int]] = set()
    findings = check_python(current, display, settings, file=file)
    for _ in range(MAX_FIXES):
        version = hashlib.sha1(current.encode("utf-8", "surrogatepass")).hexdigest()
        candidates = [f for f in findings if f.path == display and fixable(f.code, unsafe)
                      and (version, f.code, f.line, f.column) not in tried]
        if not candidates:
            break
        finding = candidates[0]
        tried.add((version, finding.code, finding.line, finding.column))
        result = apply_one(current, finding)
        if result is not None:
            current = result
            fixed.append(finding)
            findings = check_python(current, display, settings, file=file)   # the re-check
    return FixOutcome(current, fixed, findings)
