"""Human output, ruff style: `path:line:col: CODE [name] message`, then the fix as a hint."""
from __future__ import annotations

from typing import Sequence

import click

from loopcheck.findings import Finding, Severity

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def format_position(finding: Finding) -> str:
    loc = finding.location
    if loc.cell is not None:
        return f"{loc.path}:cell {loc.cell}:{loc.line}:{loc.column}"
    return f"{loc.path}:{loc.line}:{loc.column}"


def format_finding(finding: Finding, colour: bool = False) -> str:
    position = format_position(finding)
    code = finding.code
    if colour:
        position = click.style(position, bold=True)
        code = click.style(code, fg=_COLOURS[finding.severity], bold=True)
    count = f" (seen {finding.count} times)" if finding.count > 1 else ""
    line = f"{position}: {code} [{finding.name}] {finding.message}{count}"
    if finding.fix:
        hint = "help: " + finding.fix
        line += "\n  " + (click.style(hint, fg="cyan") if colour else hint)
    return line


def render(findings: Sequence[Finding], colour: bool = False) -> str:
    return "\n".join(format_finding(f, colour) for f in findings)


def summary_line(findings: Sequence[Finding], files: int, failed: int = 0) -> str:
    if failed and not findings:
        return f"{failed} file{'s' if failed != 1 else ''} could not be checked; {files} checked without findings."
    if not findings:
        return f"All checks passed ({files} file{'s' if files != 1 else ''} checked)."
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    return (f"Found {len(findings)} problem{'s' if len(findings) != 1 else ''} "
            f"({errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}) "
            f"in {files} file{'s' if files != 1 else ''}.")
