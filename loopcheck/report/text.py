"""Human output, in ruff's two shapes.

`full` (the default): the finding's line, then the source around it with the reported code
underlined, then the fix as a hint:

    train.py:45:9: LC101 [missing-zero-grad] optimizer.step() applies gradients ...
       |
    44 |         loss.backward()
    45 |         optimizer.step()
       |         ^^^^^^^^^^^^^^^^ LC101
    46 |
       |
       = help: call optimizer.zero_grad() once per step, ...

`concise`: one line per finding, `path:line:col: CODE [name] message`.
"""
from __future__ import annotations

from typing import Optional, Sequence

import click

from loopcheck.findings import Finding, Severity
from loopcheck.report.sources import SourceLines

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
CONTEXT = 1          # source lines shown above and below the reported ones
MAX_SPAN = 6         # a longer reported region shows its first lines only
TAB = 4


def format_position(finding: Finding) -> str:
    loc = finding.location
    if loc.cell is not None:
        return f"{loc.path}:cell {loc.cell}:{loc.line}:{loc.column}"
    return f"{loc.path}:{loc.line}:{loc.column}"


def headline(finding: Finding, colour: bool = False) -> str:
    position = format_position(finding)
    code = finding.code
    if colour:
        position = click.style(position, bold=True)
        code = click.style(code, fg=_COLOURS[finding.severity], bold=True)
    count = f" (seen {finding.count} times)" if finding.count > 1 else ""
    return f"{position}: {code} [{finding.name}] {finding.message}{count}"


def format_finding(finding: Finding, colour: bool = False) -> str:
    """The headline and the hint, without source: the runtime report's form."""
    line = headline(finding, colour)
    if finding.fix:
        hint = "help: " + finding.fix
        line += "\n  " + (click.style(hint, fg="cyan") if colour else hint)
    return line


def render(findings: Sequence[Finding], colour: bool = False, concise: bool = False,
           sources: Optional[SourceLines] = None) -> str:
    if concise:
        return "\n".join(headline(f, colour) for f in findings)
    sources = sources or SourceLines()
    return "\n\n".join(full(f, sources.lines(f), colour) for f in findings) + ("\n" if findings else "")


def full(finding: Finding, lines: Sequence[str], colour: bool = False) -> str:
    """The headline, the snippet (when the source can be read) and the hint."""
    out = [headline(finding, colour)]
    loc = finding.location
    hint_indent = 2
    if 0 < loc.line <= len(lines):
        last = min(max(loc.end_line or loc.line, loc.line), loc.line + MAX_SPAN - 1, len(lines))
        first_shown, last_shown = max(1, loc.line - CONTEXT), min(len(lines), last + CONTEXT)
        width = len(str(last_shown))
        hint_indent = width + 1         # `=` under the gutter's `|`
        gutter = " " * width + " |"
        out.append(gutter)
        for number in range(first_shown, last_shown + 1):
            text = lines[number - 1].expandtabs(TAB).rstrip()
            out.append(f"{number:>{width}} |" + (f" {text}" if text else ""))
            if number == loc.line:
                out.append(gutter + " " + _underline(finding, lines[number - 1], colour))
        out.append(gutter)
    if finding.fix:
        hint = f"= help: {finding.fix}"
        out.append(" " * hint_indent + (click.style(hint, fg="cyan") if colour else hint))
    return "\n".join(out)


def _underline(finding: Finding, line: str, colour: bool) -> str:
    loc = finding.location
    start = max(loc.column - 1, 0)
    same_line = loc.end_line in (None, loc.line) and loc.end_column is not None and loc.end_column > loc.column
    end = loc.end_column - 1 if same_line and loc.end_column is not None else len(line.rstrip())
    end = max(end, start + 1)
    indent = len(line[:start].expandtabs(TAB))
    length = max(len(line[:end].expandtabs(TAB)) - indent, 1)
    marks = "^" * length + " " + finding.code
    return " " * indent + (click.style(marks, fg=_COLOURS[finding.severity], bold=True) if colour else marks)


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
