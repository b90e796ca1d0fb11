"""Fixing files on disk: `--fix` writes, `--diff` only shows what would change.

Standard input is an editor's filter: its output replaces the buffer, so it is always the whole
text, in the input's own encoding: the fixed code, or the input unchanged when it could not be
checked (the reason goes to stderr)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection, Optional, Sequence

from loopcheck.checker import FileResult, Settings, check_python, check_target
from loopcheck.files import STDIN, Target, UnreadableFile, decode, is_notebook
from loopcheck.findings import Finding
from loopcheck.fixes.edits import Edits
from loopcheck.fixes.engine import fix_source
from loopcheck.fixes.scope import in_unchecked_files, key
from loopcheck.fixes.writer import FileChanged, source_encoding, write_atomic
from loopcheck.static.project_modules import PARSED


@dataclass
class FixResult(FileResult):
    fixed: list[Finding] = field(default_factory=list)
    diff: str = ""
    output: Optional[bytes] = None     # for standard input: what to print in place of writing back


def fix_all(targets: Sequence[Target], settings_of: Callable[[Target], Settings], unsafe: bool,
            write: bool) -> list[FixResult]:
    """Fix the files of one run, in order: first every fix in memory (a fix may edit another of the
    run's files, see edits.py), then each changed file is written once or shown as one diff."""
    files = [t for t in targets if t.path != STDIN and not is_notebook(t.display)]
    edits = Edits(files, settings_of)
    previous, PARSED.unsaved = PARSED.unsaved, edits.texts
    try:
        results = [_fix_one(target, settings_of(target), unsafe, edits) for target in targets]
        if edits.crossed:   # a fix edited a file fixed before: its findings may have moved
            results = [_recheck(result, target, settings_of(target), edits) for target, result in zip(targets, results)]
    finally:
        PARSED.unsaved = previous
    saved: set[Path] = set()    # a file named twice is written (or shown) once
    return [_save(result, target, edits, write, saved) for target, result in zip(targets, results)]


def _fix_one(target: Target, settings: Settings, unsafe: bool, edits: Edits) -> FixResult:
    """Notebooks are checked but not fixed (their cells are JSON strings)."""
    if is_notebook(target.display):
        checked = check_target(target, settings)
        return FixResult(checked.display, checked.findings, checked.error, checked.path, checked.notes)
    if target.path == STDIN:
        return _fix_stdin(target, settings, unsafe)
    try:
        path = key(target.path)
        outcome = fix_source(edits.text(path), target.display, settings, unsafe, file=target.path, edits=edits)
        edits.keep(path, outcome.source)
        return FixResult(target.display, outcome.remaining, path=target.path, fixed=outcome.fixed)
    except UnreadableFile as error:
        return FixResult(target.display, error=str(error), path=target.path)
    except OSError as error:
        return FixResult(target.display, error=f"{target.display}: {error.strerror or error}", path=target.path)
    except RecursionError:
        return FixResult(target.display, error=f"{target.display}: too deeply nested to analyse", path=target.path)


def _recheck(result: FixResult, target: Target, settings: Settings, edits: Edits) -> FixResult:
    """The findings of a file fixed before another file's fix changed it, or a file it imports."""
    if result.error or target.path == STDIN or is_notebook(target.display):
        return result
    try:
        result.findings = check_python(edits.text(key(target.path)), target.display, settings, file=target.path)
    except (UnreadableFile, OSError, RecursionError):
        pass    # the text was checked before; it is reported as it was then
    return result


def _save(result: FixResult, target: Target, edits: Edits, write: bool, saved: set[Path]) -> FixResult:
    """Write (or show) the file's changes, its own fixes and those other files' fixes made in it."""
    path = key(target.path)
    if path in saved or path not in edits.texts or edits.texts[path] == edits.snapshots[path].text:
        return result
    saved.add(path)
    snapshot = edits.snapshots[path]
    result.diff = unified_diff(snapshot.text, edits.texts[path], target.display)
    if not write:
        return result
    try:
        write_atomic(snapshot, edits.texts[path], target.display)
    except FileChanged as error:
        return FixResult(target.display, error=str(error), path=target.path)
    except OSError as error:
        return FixResult(target.display, error=f"{target.display}: {error.strerror or error}", path=target.path)
    return result


def notes_on_other_files(result: FileResult, unsafe: bool, checked: "Collection[Path]") -> FileResult:
    """Say so when a finding has a fix that is not made because its file is not checked."""
    from dataclasses import replace

    from loopcheck.fixes import fixable

    notes = [f"{f.path}:{f.line}:{f.column}: {f.code} was found through {result.display} and is not fixed: "
             "fixes edit only the checked files, never the other files they import"
             for f in in_unchecked_files(result, checked) if fixable(f.code, unsafe)]
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
