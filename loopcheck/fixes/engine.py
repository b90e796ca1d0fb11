"""Fixing one source text: apply fixes one at a time, re-analysing after each, until none apply.

Re-analysing after every fix keeps positions right (an inserted line shifts everything below)
and lets the analyser, not the fixer, decide whether the problem is gone: the findings returned
as `remaining` come from a final re-check of the fixed text.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from loopcheck.checker import Settings, check_python
from loopcheck.findings import Finding
from loopcheck.fixes import apply_one, fixable

if TYPE_CHECKING:
    from loopcheck.fixes.edits import Edits

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
               file: Optional[str] = None, edits: "Optional[Edits]" = None) -> FixOutcome:
    """With `file`, where the source is on disk, the analysis reads the project files it imports, as
    `check` does. A finding it reaches in one of them is fixed there only in a run over several
    files that checks that file too (`edits`, where the analysis reads the edited texts)."""
    current = source
    fixed: list[Finding] = []
    tried: set[tuple[str, str, str, int, int]] = set()
    findings = check_python(current, display, settings, file=file)
    for _ in range(MAX_FIXES):
        candidate = None
        for finding in findings:
            if not fixable(finding.code, unsafe):
                continue
            where = None
            if finding.path != display:
                where = edits.editable(finding, display, file) if edits is not None and file is not None else None
                if where is None:
                    continue
            text = current if where is None else edits.text(where)
            attempt = (str(where), _version(text), finding.code, finding.line, finding.column)
            if attempt not in tried:
                candidate = (finding, where, text, attempt)
                break
        if candidate is None:
            break
        finding, where, text, attempt = candidate
        tried.add(attempt)
        result = apply_one(text, finding)
        if result is None:
            continue
        fixed.append(finding)
        if where is None:
            current = result
        else:
            edits.edit(where, result)
        findings = check_python(current, display, settings, file=file)   # the re-check
    return FixOutcome(current, fixed, findings)


def _version(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
