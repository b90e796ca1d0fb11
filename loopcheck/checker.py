"""Checking files: read, analyse statically, filter, suppress. Parallel across cores when many."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional, Sequence, Union

from loopcheck.files import DEFAULT_EXCLUDES, STDIN, Target, UnreadableFile, discover, read_text
from loopcheck.findings import Finding

if TYPE_CHECKING:
    from loopcheck.project import Project

# Below this many files a process pool costs more (interpreter + libcst start-up) than it saves.
PARALLEL_THRESHOLD = 16

Item = Union[Target, UnreadableFile]


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("LC",)
    ignore: tuple[str, ...] = ()
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES


@dataclass
class FileResult:
    display: str
    findings: list[Finding] = field(default_factory=list)
    error: Optional[str] = None
    path: str = ""
    notes: list[str] = field(default_factory=list)   # parts left unchecked, e.g. a notebook cell that is not Python


def check_source(source: str, display: str, settings: Settings = Settings()) -> list[Finding]:
    """Findings for one file's text (a notebook's JSON when `display` ends in .ipynb), after
    selection and `# noqa`. Raises UnreadableFile."""
    return check_file(source, display, settings)[0]


def check_file(source: str, display: str, settings: Settings = Settings()) -> tuple[list[Finding], list[str]]:
    """`check_source`, and notes on the parts that were left out (notebook cells that are not Python)."""
    from loopcheck import notebooks

    if notebooks.is_notebook(display):
        program = notebooks.load(source, display)
        findings = notebooks.map_findings(check_python(program.source, display, settings), program)
        return findings, list(program.notes)
    return check_python(source, display, settings), []


def check_python(source: str, display: str, settings: Settings = Settings()) -> list[Finding]:
    from loopcheck import static
    from loopcheck.rules import select
    from loopcheck.suppress import apply_noqa, ignores_file

    if ignores_file(source):
        return []
    findings = static.analyse(source, display)
    return apply_noqa(select(findings, settings.select, settings.ignore), source)


def check_target(target: Target, settings: Settings) -> FileResult:
    try:
        findings, notes = check_file(read_text(target), target.display, settings)
        return FileResult(target.display, findings, path=target.path, notes=notes)
    except UnreadableFile as error:
        return FileResult(target.display, error=str(error), path=target.path)
    except RecursionError:
        return FileResult(target.display, error=f"{target.display}: too deeply nested to analyse", path=target.path)


def collect(paths: Sequence[str], settings: Settings = Settings(), project: "Optional[Project]" = None,
            force_exclude: bool = False) -> list[Item]:
    """The files to check, in order; paths that cannot be checked come back as UnreadableFile."""
    excludes = project.excluded if project is not None else settings.excludes
    return list(discover(paths, excludes, force_exclude=force_exclude))


def settings_for(target: Target, settings: Settings, project: "Optional[Project]") -> Settings:
    if project is None:
        return settings
    select, ignore = project.rule_selection(None if target.path == STDIN else Path(target.path))
    return Settings(select=select, ignore=ignore, excludes=settings.excludes)


def check_items(items: Sequence[Item], settings: Settings = Settings(), jobs: Optional[int] = None,
                project: "Optional[Project]" = None) -> Iterator[FileResult]:
    """Results in input order; unreadable paths come back as results with `error` set."""
    targets = [item for item in items if isinstance(item, Target)]
    per_target = [settings_for(t, settings, project) for t in targets]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    done: Iterable[FileResult]
    if workers > 1 and len(targets) >= PARALLEL_THRESHOLD and all(t.path != STDIN for t in targets):
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = iter(pool.map(check_target, targets, per_target, chunksize=4))
            yield from _in_order(items, done)
        return
    yield from _in_order(items, (check_target(t, s) for t, s in zip(targets, per_target)))


def _in_order(items: Sequence[Item], done: Iterable[FileResult]) -> Iterator[FileResult]:
    results = iter(done)
    for item in items:
        yield next(results) if isinstance(item, Target) else FileResult("", error=str(item))


def check_paths(paths: Sequence[str], settings: Settings = Settings(), jobs: Optional[int] = None,
                project: "Optional[Project]" = None, force_exclude: bool = False) -> Iterator[FileResult]:
    """Results in input order; unreadable paths come back as results with `error` set.

    With a `project`, configuration files and .gitignore decide exclusion and per-file rules;
    without one, `settings` applies to every file (the library default)."""
    yield from check_items(collect(paths, settings, project, force_exclude), settings, jobs, project)
