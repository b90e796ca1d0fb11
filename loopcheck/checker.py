"""Checking files: read, analyse statically, filter, suppress. Parallel across cores when many."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional, Sequence, Union

from loopcheck.files import DEFAULT_EXCLUDES, STDIN, Target, UnreadableFile, decode, discover, is_notebook, read_bytes
from loopcheck.findings import Finding, Location

if TYPE_CHECKING:
    from loopcheck.cache import Cache
    from loopcheck.project import Project

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


def check_source(source: str, display: str, settings: Settings = Settings(),
                 file: Optional[str] = None) -> list[Finding]:
    """Findings for one file's text (a notebook's JSON when `display` ends in .ipynb), after
    selection and `# noqa`; with `file`, where the text is on disk, also through the project files
    it imports (findings there have their paths; `settings` selects them too). Raises UnreadableFile."""
    from loopcheck.rules import select

    return select(check_file(source, display, settings, file)[0], settings.select, settings.ignore)


def check_file(source: str, display: str, settings: Settings = Settings(),
               file: Optional[str] = None) -> tuple[list[Finding], list[str]]:
    """`check_source`, and notes on the parts that were left out (notebook cells that are not Python).

    Findings in imported project files are left to be selected by the settings of the file they
    are in (`in_their_settings`), which may differ from `settings`; their `# noqa` comments and
    ignore-file comment are applied here."""
    notes: list[str] = []
    if is_notebook(display):
        from loopcheck import notebooks

        program = notebooks.load(source, display)
        notes.extend(program.notes)
        findings = notebooks.map_findings(check_python(program.source, display, settings, notes), program)
        return findings, notes
    return check_python(source, display, settings, notes, file), notes


def check_python(source: str, display: str, settings: Settings = Settings(),
                 notes: Optional[list[str]] = None, file: Optional[str] = None) -> list[Finding]:
    """`notes` receives a line for each analysis limit the file reached."""
    from loopcheck.limits import run_deep
    from loopcheck.suppress import ignores_file

    if ignores_file(source):
        return []
    return run_deep(_check_python, source, display, settings, notes, file)


def _check_python(source: str, display: str, settings: Settings, notes: Optional[list[str]],
                  file: Optional[str]) -> list[Finding]:
    from loopcheck.limits import check_parseable
    from loopcheck.prefilter import may_have_findings, worth_analysing

    tree = check_parseable(source, display)
    # The raw-text test first (a regex), then the test of the code itself on the tree that
    # Python's parser just built: most files of a project hold no training loop.
    if not may_have_findings(source) or not worth_analysing(tree, source, file):
        return []
    from loopcheck import static
    from loopcheck.rules import select
    from loopcheck.suppress import apply_noqa

    try:
        findings = static.analyse(source, display, notes, file)
    except UnreadableFile as error:
        # Python reads it, libcst does not (e.g. over 3,000 adjacent string literals).
        reason = str(error).split(": syntax error: ")[0]
        raise UnreadableFile(f"{reason}: valid Python that libcst's parser cannot read; not checked") from None
    own = apply_noqa(select([f for f in findings if f.path == display], settings.select, settings.ignore), source)
    return own + _suppressed_in_their_files([f for f in findings if f.path != display], display, file)


def _suppressed_in_their_files(findings: list[Finding], display: str, file: Optional[str]) -> list[Finding]:
    """Findings in imported project files, less those that file's `# noqa` comments (or its
    ignore-file comment) suppress."""
    from loopcheck.static.project_modules import PARSED
    from loopcheck.suppress import apply_noqa, ignores_file

    kept: list[Finding] = []
    if file is None:
        return kept
    for shown in sorted({f.path for f in findings}):
        here = [f for f in findings if f.path == shown]
        try:
            text, _ = PARSED.text(Path(file_of(shown, display, file)))
        except UnreadableFile:
            continue
        if not ignores_file(text):
            kept.extend(apply_noqa(here, text))
    return kept


def file_of(shown: str, display: str, file: str) -> str:
    """Where on disk (an absolute path) is a file that findings of the checked `file` (shown as
    `display`) show as `shown`."""
    import os

    relative = os.path.relpath(shown, os.path.dirname(display) or os.curdir)
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(file)), relative))


def check_target(target: Target, settings: Settings, cache: "Optional[Cache]" = None) -> FileResult:
    try:
        data = read_bytes(target)
    except UnreadableFile as error:
        return FileResult(target.display, error=str(error), path=target.path)
    key = cache_key(target, settings, data, cache)
    return cached(target, cache, key) or check_data(target, settings, data, cache, key)


def cache_key(target: Target, settings: Settings, data: bytes, cache: "Optional[Cache]") -> Optional[str]:
    if cache is None or target.path == STDIN:
        return None
    return cache.key(data, target.display, settings.select, settings.ignore)


def cached(target: Target, cache: "Optional[Cache]", key: Optional[str]) -> Optional[FileResult]:
    """The result cached under `key`, unless a project file the file imports has changed since
    (or appeared where its imports looked for one)."""
    from loopcheck.static.depends import unchanged

    entry = cache.get(key) if cache is not None and key is not None else None
    if entry is None or not unchanged(entry.depends):
        return None
    return FileResult(target.display, entry.findings, path=target.path, notes=entry.notes)


def check_data(target: Target, settings: Settings, data: bytes, cache: "Optional[Cache]" = None,
               key: Optional[str] = None) -> FileResult:
    """One file's result from its bytes, kept in `cache` under `key` (`cache_key`) when both are
    given; every failure becomes a one-line `error`, never an exception."""
    display = target.display
    file = None if target.path == STDIN else target.path
    try:
        findings, notes = check_file(decode(data, display), display, settings, file)
    except UnreadableFile as error:
        return FileResult(display, error=str(error), path=target.path)
    except (RecursionError, MemoryError) as error:
        reason = "too deeply nested" if isinstance(error, RecursionError) else "out of memory"
        return FileResult(display, error=f"{display}: {reason} to analyse; not checked", path=target.path)
    except Exception as error:   # a bug in loopcheck: this file is reported, the others still checked
        return FileResult(display, error=f"{display}: internal error while checking "
                                         f"({_describe(error)}); please report it", path=target.path)
    if cache is not None and key is not None:
        from loopcheck.cache import Entry
        from loopcheck.static.depends import dependencies   # a skipped file's too, without libcst

        cache.put(key, Entry(findings, notes, dependencies(target.path)))
    return FileResult(display, findings, path=target.path, notes=notes)


def _describe(error: BaseException) -> str:
    try:
        detail = str(error).splitlines()[0] if str(error) else ""
    except Exception:   # an exception whose str() itself fails
        detail = ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


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


def in_their_settings(result: FileResult, settings: Settings, project: "Optional[Project]") -> FileResult:
    """The result with each finding in an imported project file selected as if that file were
    checked: by its own configuration (select, ignore, per-file-ignores) and the command line."""
    theirs: dict[str, Settings] = {}
    for shown in {f.path for f in result.findings if f.path != result.display}:
        theirs[shown] = settings_for(Target(file_of(shown, result.display, result.path), shown), settings, project)
    if not theirs:
        return result
    # Imported here: the rules package imports every rule, which a result from the cache does not need.
    from loopcheck.rules import select

    kept = [f for f in result.findings
            if f.path not in theirs or select([f], theirs[f.path].select, theirs[f.path].ignore)]
    return replace(result, findings=kept) if len(kept) != len(result.findings) else result


def check_items(items: Sequence[Item], settings: Settings = Settings(), jobs: Optional[int] = None,
                project: "Optional[Project]" = None, cache: "Optional[Cache]" = None) -> Iterator[FileResult]:
    """Results in input order, each as soon as it and those before it are done; unreadable paths
    come back as results with `error` set."""
    from loopcheck.pool import check_in_order

    work = [(item, settings_for(item, settings, project)) if isinstance(item, Target) else (item, None)
            for item in items]
    yield from reported_once(check_in_order(work, jobs, cache), settings, project)


def reported_once(results: Iterator[FileResult], settings: Settings,
                  project: "Optional[Project]") -> Iterator[FileResult]:
    """Results as they are reported: findings in imported files in their files' settings, and
    each finding once in the run."""
    reported: set[tuple[str, Location]] = set()
    for result in results:
        yield _once_per_run(in_their_settings(result, settings, project), reported)


def _once_per_run(result: FileResult, reported: set[tuple[str, Location]]) -> FileResult:
    """A finding in an imported file is reported once, when several checked files reach it (or
    it is checked too)."""
    import os

    kept = []
    for finding in result.findings:
        key = (finding.code, replace(finding.location, path=os.path.normpath(finding.path)))
        if key not in reported:
            reported.add(key)
            kept.append(finding)
    return replace(result, findings=kept) if len(kept) != len(result.findings) else result


def check_paths(paths: Sequence[str], settings: Settings = Settings(), jobs: Optional[int] = None,
                project: "Optional[Project]" = None, force_exclude: bool = False,
                cache: "Optional[Cache]" = None) -> Iterator[FileResult]:
    """Results in input order; unreadable paths come back as results with `error` set.

    With a `project`, configuration files and .gitignore decide exclusion and per-file rules;
    without one, `settings` applies to every file (the library default)."""
    yield from check_items(collect(paths, settings, project, force_exclude), settings, jobs, project, cache)
