"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

`::error file=train.py,line=42,col=9,endLine=42,endColumn=25,title=LC101 [missing-zero-grad]::message`
Escaping follows the runner's rules: in the message `%`, CR and LF are percent-encoded; in
property values `:` and `,` are as well, since they delimit the properties.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from loopcheck.findings import Finding, Severity
from loopcheck.report.paths import relative_path, source_root

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_finding(finding: Finding, root: Path) -> str:
    loc = finding.location
    path = relative_path(loc.path, root) or loc.path.replace("\\", "/")
    title = f"{finding.code} [{finding.name}]" + (f" (cell {loc.cell})" if loc.cell is not None else "")
    properties = {
        "file": path,
        "line": loc.line,
        "col": loc.column,
        "endLine": loc.end_line if loc.end_line is not None else loc.line,
        "endColumn": loc.end_column if loc.end_column is not None else loc.column,
        "title": title,
    }
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    message = finding.message + (f"\nhelp: {finding.fix}" if finding.fix else "")
    return f"::{_COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def message_command(level: str, message: str) -> str:
    """A message about the run itself (a file that could not be checked, a skipped cell)."""
    return f"::{_LEVELS[level]} title=loopcheck::{escape_data(message)}"


def render(findings: Sequence[Finding], root: Optional[Path] = None) -> str:
    root = root or source_root()
    return "\n".join(format_finding(f, root) for f in findings)
