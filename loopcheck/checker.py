"""Checking files: read, analyse statically, filter, suppress. Parallel across cores when many."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence

from loopcheck.files import DEFAULT_EXCLUDES, Target, UnreadableFile, discover, read_text
from loopcheck.findings import Finding

# Below this many files a process pool costs more (interpreter + libcst start-up) than it saves.
PARALLEL_THRESHOLD = 16


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


def check_source(source: str, display: str, settings: Settings = Settings()) -> list[Finding]:
    """Findings for one file's text, after selection and `# noqa`. Raises UnreadableFile."""
    from loopcheck import static
    from loopcheck.rules import select
    from loopcheck.suppress import apply_noqa, ignores_file

    if ignores_file(source):
        return []
    findings = static.analyse(source, display)
    return apply_noqa(select(findings, settings.select, settings.ignore), source)


def check_target(target: Target, settings: Settings) -> FileResult:
    try:
        source = read_text(target)
        return FileResult(target.display, check_source(source, target.display, settings))
    except UnreadableFile as error:
        return FileResult(target.display, error=str(error))
    except RecursionError:
        return FileResult(target.display, error=f"{target.display}: too deeply nested to analyse")


def check_paths(paths: Sequence[str], settings: Settings = Settings(), jobs: Optional[int] = None) -> Iterator[FileResult]:
    """Results in input order; unreadable paths come back as results with `error` set."""
    items = list(discover(paths, settings.excludes))
    targets = [item for item in items if isinstance(item, Target)]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(targets) >= PARALLEL_THRESHOLD and all(t.path != "-" for t in targets):
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = iter(pool.map(check_target, targets, [settings] * len(targets), chunksize=4))
            for item in items:
                yield next(done) if isinstance(item, Target) else FileResult("", error=str(item))
        return
    for item in items:
        if isinstance(item, UnreadableFile):
            yield FileResult("", error=str(item))
        else:
            yield check_target(item, settings)
