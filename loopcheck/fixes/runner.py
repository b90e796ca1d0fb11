"""Fixing files on disk: `--fix` writes, `--diff` only shows what would change.

Standard input is an editor's filter: its output replaces the buffer, so it is always the whole
text, in the input's own encoding: the fixed code, or the input unchanged when it could not be
checked (the reason goes to stderr)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Optional

from loopcheck.checker import FileResult, Settings, check_target
from loopcheck.files import STDIN, Target, UnreadableFile, decode
from loopcheck.findings import Finding
from loopcheck.fixes.engine import fix_source
from loopcheck.fixes.writer import FileChanged, read_snapshot, source_encoding, write_atomic
from loopcheck.notebooks import is_notebook


@dataclass
class FixResult(FileResult):
    fixed: list[Finding] = field(default_factory=list)
    diff: str = ""
    output: Optional[bytes] = None     # for standard input: what to print in place of writing back


def fix_target(target: Target, settings: Settings, unsafe: bool, write: bool) -> FixResult:
    """Fix one file. Notebooks are checked but not fixed (their cells are JSON strings)."""
    if is_notebook(target.display):
        checked = check_target(target, settings)
        return FixResult(checked.display, checked.findings, checked.error, checked.path, checked.notes)
    if target.path == STDIN:
        return _fix_stdin(target, settings, unsafe)
    try:
        snapshot = read_snapshot(target.path, target.display)
        outcome = fix_source(snapshot.text, target.display, settings, unsafe, file=target.path)
        result = FixResult(target.display, outcome.remaining, path=target.path, fixed=outcome.fixed)
        if outcome.changed:
            result.diff = unified_diff(snapshot.text, outcome.source, target.display)
            if write:
                write_atomic(snapshot, outcome.source, target.display)
        return result
    except (UnreadableFile, FileChanged) as error:
        return FixResult(target.display, error=str(error), path=target.path)
    except OSError as error:
        return FixResult(target.display, error=f"{target.display}: {error.strerror or error}", path=target.path)
    except RecursionError:
        return FixResult(target.display, error=f"{target.display}: too deeply nested to analyse", path=target.path)


def notes_on_other_files(result: FileResult, unsafe: bool) -> FileResult:
    """A fix that a finding in an imported project file has is not made: say so."""
    from dataclasses import replace

    from loopcheck.fixes import fixable

    unfixed = [f for f in result.findings if f.path != result.display and fixable(f.code, unsafe)]
    notes = [f"{f.path}:{f.line}:{f.column}: {f.code} was found through {result.display} and is not fixed: "
             "fixes edit only the checked file, never the files it imports" for f in unfixed]
    return replace(result, notes=[*result.notes, *notes]) if notes else result


def _fix_stdin(target: Target, settings: Settings, unsafe: bool) -> FixResult:
    import sys

    data = sys.stdin.buffer.read()
    result = FixResult(target.display, path=STDIN, output=data)
    try:
        original = decode(data, target.display)
        outcome = fix_source(original, target.display, settings, unsafe)
    except UnreadableFile as error:
        result.error = str(error)
        return result
    except RecursionError:
        result.error = f"{target.display}: too deeply nested to analyse"
        return result
    result.findings, result.fixed = outcome.remaining, outcome.fixed
    if outcome.changed:
        result.diff = unified_diff(original, outcome.source, target.display)
        result.output = outcome.source.encode(source_encoding(data))
    return result


def unified_diff(before: str, after: str, display: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{display}", tofile=f"b/{display}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
