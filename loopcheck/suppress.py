"""`# noqa` and `# loopcheck: ignore-file` suppression, read from the comments of the source.

Only real comments count: the same text inside a string literal (a docstring that documents
the directive, a generated script in a template) suppresses nothing. Comments are found with
`tokenize`, and only when the directive's text appears at all, so most files pay nothing.
"""
from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable

from loopcheck.findings import Finding

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_IGNORE_FILE = re.compile(r"#\s*loopcheck:\s*ignore-file\b")


def comments(source: str) -> dict[int, str]:
    """Line number -> the comment on that line. Source that does not tokenize falls back to the
    text after `#` on lines that start with one (the analyser reports such files anyway)."""
    found: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError, RecursionError):
        return {number: line.strip() for number, line in enumerate(source.splitlines(), 1)
                if line.lstrip().startswith("#")}
    return found


def ignores_file(source: str) -> bool:
    if not _IGNORE_FILE.search(source):
        return False
    return any(_IGNORE_FILE.search(comment) for comment in comments(source).values())


def noqa_codes(comment: str) -> "set[str] | None":
    """None: no noqa; empty set: bare `# noqa` (everything); else the listed codes."""
    match = _NOQA.search(comment)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return set()
    return {c.upper() for c in re.split(r"[\s,]+", codes) if c}


def apply_noqa(findings: Iterable[Finding], source: str) -> list[Finding]:
    findings = list(findings)
    if not findings or not _NOQA.search(source):
        return findings
    by_line = comments(source)
    kept = []
    for finding in findings:
        codes = noqa_codes(by_line.get(finding.line, ""))
        if codes is None or (codes and finding.code not in codes):
            kept.append(finding)
    return kept
