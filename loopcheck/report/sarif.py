"""SARIF 2.1.0 output, shaped for GitHub code scanning (`github/codeql-action/upload-sarif`).

- Paths are repository-relative URIs (`uriBaseId` %SRCROOT%), so alerts land on the right file
  wherever loopcheck ran.
- `partialFingerprints["loopcheck/v1"]` hashes the rule, the path, the whitespace-normalised text
  of the reported line and its occurrence index among identical lines, never the line number:
  an alert keeps its identity when unrelated lines are added above it.
- Notebooks: the region's lines and columns are those inside the cell (as in text output), the
  result names the cell in `properties.cell` and its message starts with `cell N:` (the same
  1-based number everywhere, as ruff counts). Lines of the raw .ipynb JSON would mean nothing.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from loopcheck import __version__
from loopcheck.catalogue import BY_CODE, RULES, RuleInfo
from loopcheck.findings import Finding, Severity
from loopcheck.report.paths import artifact_uri, source_root
from loopcheck.report.sources import SourceLines

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/loopcheck/loopcheck"
FINGERPRINT_KEY = "loopcheck/v1"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

LineReader = Callable[[Finding], Optional[str]]


def render(findings: Sequence[Finding], errors: Sequence[str] = (), root: Optional[Path] = None,
           line_text: Optional[LineReader] = None, notes: Sequence[str] = ()) -> str:
    return json.dumps(build(findings, errors, root, line_text, notes), indent=2)


def build(findings: Sequence[Finding], errors: Sequence[str] = (), root: Optional[Path] = None,
          line_text: Optional[LineReader] = None, notes: Sequence[str] = ()) -> dict[str, Any]:
    """The SARIF log. `errors` (files that could not be checked) and `notes` (parts of files left
    unchecked) become tool notifications; `line_text` returns a finding's source line for
    fingerprints (default: read the file)."""
    root = root or source_root()
    reader = line_text or SourceLines().line
    rules = [r for r in RULES if r.static] + _unlisted_rules(findings)
    index = {rule.code: i for i, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "loopcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule) for rule in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [_invocation(errors, notes)],
            "results": _results(findings, index, root, reader),
        }],
    }


def _unlisted_rules(findings: Sequence[Finding]) -> list[RuleInfo]:
    # A runtime-only code, or one a newer analyser reports before the catalogue knows it.
    listed = {r.code for r in RULES if r.static}
    extra: dict[str, RuleInfo] = {}
    for f in findings:
        if f.code not in listed and f.code not in extra:
            extra[f.code] = BY_CODE.get(f.code) or RuleInfo(f.code, f.name, f.severity, f.message)
    return list(extra.values())


def _rule(rule: RuleInfo) -> dict[str, Any]:
    from loopcheck.ruledocs import read_doc

    try:
        doc = read_doc(rule)
    except OSError:
        doc = None
    what = _section(doc, "What it does") if doc else None
    why = _section(doc, "Why is this bad?") if doc else None
    full = " ".join(part for part in (what, why) if part) or rule.summary
    help_markdown = doc.strip() if doc else f"**{rule.code} ({rule.name})**: {rule.summary}"
    return {
        "id": rule.code,
        "name": _pascal(rule.name),
        "shortDescription": {"text": _sentence(rule.summary)},
        "fullDescription": {"text": full},
        "help": {"text": _plain(help_markdown), "markdown": help_markdown},
        "helpUri": f"{INFORMATION_URI}/blob/main/rules/{rule.doc_filename}",
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": ["pytorch", "training-loop", "correctness"],
                       "precision": "high", "problem.severity": _problem_severity(rule.severity)},
    }


def _results(findings: Sequence[Finding], index: dict[str, int], root: Path, reader: LineReader) -> list[dict[str, Any]]:
    occurrences: dict[tuple[str, str, Optional[int], str], int] = defaultdict(int)
    results = []
    for finding in sorted(findings, key=Finding.sort_key):
        loc = finding.location
        uri, relative = artifact_uri(loc.path, root)
        line_text = _normalise(reader(finding) or "")
        key = (finding.code, uri, loc.cell, line_text)
        occurrence = occurrences[key]
        occurrences[key] += 1
        artifact: dict[str, Any] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = "%SRCROOT%"
        region = {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1),
                  "endLine": max(loc.end_line or loc.line, 1),
                  "endColumn": max(loc.end_column or loc.column, 1)}
        if (region["endLine"], region["endColumn"]) < (region["startLine"], region["startColumn"]):
            region["endLine"], region["endColumn"] = region["startLine"], region["startColumn"]
        text = f"{finding.message}" + (f"\nFix: {finding.fix}" if finding.fix else "")
        if loc.cell is not None:
            text = f"cell {loc.cell}: {text}"
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _LEVELS[finding.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding.code, uri, loc.cell, line_text, occurrence)},
        }
        if loc.cell is not None:
            result["properties"] = {"cell": loc.cell}
        results.append(result)
    return results


def fingerprint(code: str, uri: str, cell: Optional[int], line_text: str, occurrence: int) -> str:
    # The cell index is left out on purpose: inserting a cell above would otherwise re-open alerts.
    del cell
    digest = hashlib.sha256("\0".join((code, uri, line_text, str(occurrence))).encode("utf-8")).hexdigest()
    return f"{digest[:32]}:{occurrence + 1}"


def _invocation(errors: Sequence[str], notes: Sequence[str]) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    notifications = [{"level": "error", "message": {"text": error}} for error in errors] + \
        [{"level": "note", "message": {"text": note}} for note in notes]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _normalise(line: str) -> str:
    # A trailing comment (e.g. a suppression added for another rule) must not change the identity.
    return " ".join(line.split("#", 1)[0].split()) if "#" in line else " ".join(line.split())


def _section(doc: str, title: str) -> Optional[str]:
    match = re.search(rf"^##\s+{re.escape(title)}\s*$(.*?)(?=^##\s|\Z)", doc, re.MULTILINE | re.DOTALL)
    if not match:
        return None
    paragraph = match.group(1).strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split()) or None


def _plain(markdown: str) -> str:
    text = re.sub(r"^#+\s*", "", markdown, flags=re.MULTILINE)
    return text.replace("`", "")


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _problem_severity(severity: Severity) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}[severity]
