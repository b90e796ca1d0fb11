"""Fixing files on disk: `--fix` writes, `--diff` only shows what would change."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Optional

from loopcheck.checker import FileResult, Settings, check_target
from loopcheck.files import STDIN, Target, UnreadableFile, read_text
from loopcheck.findings import Finding
from loopcheck.fixes.engine import fix_source
from loopcheck.fixes.writer import FileChanged, read_snapshot, write_atomic
from loopcheck.notebooks import is_notebook


@dataclass
class FixResult(FileResult):
    fixed: list[Finding] = field(default_factory=list)
    diff: str = ""
    new_source: Optional[str] = None   # standard input's (fixed) text: it cannot be written back


def fix_target(target: Target, settings: Settings, unsafe: bool, write: bool) -> FixResult:
    """Fix one file. Notebooks are checked but not fixed (their cells are JSON strings)."""
    if is_notebook(target.display):
        checked = check_target(target, settings)
        return FixResult(checked.display, checked.findings, checked.error, checked.path, checked.notes)
    try:
        if target.path == STDIN:
            snapshot = None
            original = read_text(target)
        else:
            snapshot = read_snapshot(target.path, target.display)
            original = snapshot.text
        outcome = fix_source(original, target.display, settings, unsafe)
        result = FixResult(target.display, outcome.remaining, path=target.path, fixed=outcome.fixed)
        if snapshot is None:
            result.new_source = outcome.source
        if outcome.changed:
            result.diff = unified_diff(original, outcome.source, target.display)
            if snapshot is not None and write:
                write_atomic(snapshot, outcome.source)
        return result
    except (UnreadableFile, FileChanged) as error:
        return FixResult(target.display, error=str(error), path=target.path)
    except OSError as error:
        return FixResult(target.display, error=f"{target.display}: {error.strerror or error}", path=target.path)
    except RecursionError:
        return FixResult(target.display, error=f"{target.display}: too deeply nested to analyse", path=target.path)


def unified_diff(before: str, after: str, display: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{display}", tofile=f"b/{display}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
