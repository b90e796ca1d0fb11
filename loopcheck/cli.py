"""The command line: `loopcheck [check] PATHS`, `loopcheck rule CODE`, `loopcheck rules`.

Exit codes (stable): 0 no findings, 1 findings, 2 usage error, a file that could not be checked or
an internal error (never hidden by --exit-zero), 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import functools
import io
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, Sequence

import click

from loopcheck import __version__
from loopcheck.catalogue import BY_CODE, RULES

if TYPE_CHECKING:
    from loopcheck.cache import Cache
    from loopcheck.checker import FileResult
    from loopcheck.findings import Finding
    from loopcheck.project import Project
    from loopcheck.report.streaming import Printer

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

EXAMPLES = """\b
Examples:
  loopcheck train.py                      check one file
  loopcheck src/ scripts/ nb.ipynb        check folders (*.py, *.ipynb) and notebooks
  cat train.py | loopcheck -              check standard input
  loopcheck --select LC1,LC201 train.py   only these codes (or prefixes)
  loopcheck --output-format concise src/  one line per finding
  loopcheck --output-format json a.py     machine-readable findings
  loopcheck --output-format sarif . > loopcheck.sarif    for GitHub code scanning
  loopcheck --output-format github .      annotations in a GitHub Actions log
  loopcheck --statistics src/             how many findings per rule
  loopcheck --diff train.py               show the fixes without writing them
  loopcheck --fix train.py                apply the safe fixes
  loopcheck rule LC101                    explain a rule
  loopcheck rules                         list every rule
"""


class DefaultCommandGroup(click.Group):
    """`loopcheck PATHS` means `loopcheck check PATHS`, as `ruff x.py` means `ruff check x.py`."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [self.default_command, *args]
        elif not args:
            args = [self.default_command, "--help"]
        return super().parse_args(ctx, args)


def split_codes(value: Optional[str]) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def split_patterns(value: Optional[str]) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def validate_globs(patterns: Sequence[str], option: str) -> None:
    if not patterns:
        return
    from loopcheck.globs import GlobError, check_glob

    for pattern in patterns:
        try:
            check_glob(pattern)
        except GlobError as error:
            raise click.BadParameter(str(error), param_hint=option) from None


def reported_exit_codes(command: Callable[..., None]) -> Callable[..., None]:
    """Ctrl-C exits 130 and a bug in loopcheck exits 2 with one line, never 1 (the findings code)."""
    @functools.wraps(command)
    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("loopcheck: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # `loopcheck src | head`: the reader has what it wanted. Findings were being printed, so
            # the exit code is the findings one; stdout goes to devnull so that the interpreter's
            # final flush does not fail again.
            _silence_stdout()
            sys.exit(EXIT_FINDINGS)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            tell("error", f"internal error: {type(error).__name__}: {error}; please report it",
                 kwargs.get("output_format") or "text")
            sys.exit(EXIT_ERROR)

    return guarded


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):   # not a real file (tests, embedding)
        pass


def validate_codes(codes: Sequence[str], option: str) -> None:
    from loopcheck.config import check_code

    for code in codes:
        check_code(code, lambda message: click.BadParameter(message, param_hint=option))


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXAMPLES)
@click.version_option(__version__, "--version", prog_name="loopcheck")
def main() -> None:
    """loopcheck: find silent bugs in PyTorch training loops.

    Static checks never import torch or run your code. `loopcheck run` watches a real run.
    """


@main.command("check", epilog=EXAMPLES)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", metavar="CODES", help="Comma-separated codes or prefixes to report (default: all).")
@click.option("--ignore", metavar="CODES", help="Comma-separated codes or prefixes to skip.")
@click.option("--output-format", type=click.Choice(["text", "concise", "json", "sarif", "github"]), default="text",
              show_default=True, help="How findings are printed (text: with the source; concise: one line each).")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of each finding.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Let --fix and --diff also make fixes that change behaviour on purpose (as in ruff: alone, it writes nothing).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Use this configuration file for every path (default: the nearest one).")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--exclude", metavar="GLOBS", help="Comma-separated globs to skip, replacing the default excludes.")
@click.option("--extend-exclude", metavar="GLOBS", help="Comma-separated globs to skip as well.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to paths named on the command line too (pre-commit).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary line.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for many files (default: one per core).")
@click.option("--no-cache", is_flag=True,
              help="Analyse every file again; do not read or write .loopcheck_cache (or $LOOPCHECK_CACHE_DIR).")
@reported_exit_codes
def check_command(paths: tuple[str, ...], select: Optional[str], ignore: Optional[str], output_format: str,
                  statistics: bool, fix: bool, unsafe_fixes: bool, diff: bool, config_file: Optional[str],
                  isolated: bool, exclude: Optional[str], extend_exclude: Optional[str], force_exclude: bool,
                  exit_zero: bool, quiet: bool, jobs: Optional[int], no_cache: bool) -> None:
    """Check PATHS (files, folders, notebooks, or - for stdin) for training-loop bugs."""
    from pathlib import Path

    from loopcheck.config import ConfigError
    from loopcheck.project import Overrides, Project

    if not paths:
        raise click.UsageError("no paths given; try `loopcheck train.py` or `loopcheck src/`")
    selected, ignored = split_codes(select), split_codes(ignore)
    validate_codes(selected, "--select")
    validate_codes(ignored, "--ignore")
    validate_globs(split_patterns(exclude), "--exclude")
    validate_globs(split_patterns(extend_exclude), "--extend-exclude")
    overrides = Overrides(
        select=selected or None, ignore=ignored if ignore is not None else None,
        exclude=split_patterns(exclude) if exclude is not None else None,
        extend_exclude=split_patterns(extend_exclude),
        config_file=Path(config_file) if config_file else None, isolated=isolated)
    project = Project(overrides)
    mode = "diff" if diff else ("fix" if fix else "check")
    try:
        project.load_all(paths)
        run = _Run(project, mode, unsafe_fixes, jobs, force_exclude, output_format)
        run.execute(paths, use_cache=not no_cache, stream=not statistics)
    except ConfigError as error:
        tell("error", str(error), output_format)
        sys.exit(EXIT_ERROR)
    run.report(output_format, statistics, quiet)
    if run.failed:
        sys.exit(EXIT_ERROR)
    dirty = bool(run.findings) or (mode == "diff" and bool(run.fixed))
    sys.exit(EXIT_FINDINGS if dirty and not exit_zero else EXIT_CLEAN)


def _cache(enabled: bool) -> "Optional[Cache]":
    # --no-cache does not import the cache (hashing, its entry types) at all.
    if not enabled:
        return None
    from loopcheck.cache import open_cache

    return open_cache()


def tell(level: str, message: str, output_format: str) -> None:
    """One stderr line about the run (`error`, `note`); in GitHub format a workflow command,
    escaped so that a file name cannot end the line or inject commands of its own."""
    from loopcheck.report import github

    if output_format == "github":
        click.echo(github.message_command(level, f"loopcheck: {level}: {message}"), err=True)
    else:
        click.echo(f"loopcheck: {level}: " + message.replace("\r", "\\r").replace("\n", "\\n"), err=True)


class _Run:
    """One `check` invocation: gathers results (checking or fixing), then reports them."""

    def __init__(self, project: "Project", mode: str, unsafe: bool, jobs: Optional[int], force_exclude: bool,
                 output_format: str = "text") -> None:
        self.project, self.mode, self.unsafe, self.jobs = project, mode, unsafe, jobs
        self.force_exclude, self.output_format = force_exclude, output_format
        self.findings: list[Finding] = []
        self.fixed: list[Finding] = []
        self.elsewhere: set[Finding] = set()   # in imported files this run does not check: --fix leaves them
        self.errors: list[str] = []
        self.notes: list[str] = []   # parts of files left unchecked; they do not change the exit code
        self.files = 0
        self.stdin_fixed = False     # stdout carries the fixed code: reports go to stderr
        self.streamed: "Optional[Printer]" = None   # findings already printed file by file

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def execute(self, paths: Sequence[str], use_cache: bool = False, stream: bool = False) -> None:
        """With `stream`, each file's findings are printed as soon as it is checked (SARIF excepted);
        files are taken in path order, so the output is the same as one sorted report at the end
        (but for a finding in an imported file reported through a later file: it comes with that
        file's findings)."""
        from loopcheck import progress
        from loopcheck.checker import Settings, check_items, collect, reported_once
        from loopcheck.files import Target
        from loopcheck.fixes.scope import key
        from loopcheck.report.streaming import printer

        items = collect(paths, Settings(), self.project, self.force_exclude)
        targets = sum(1 for item in items if isinstance(item, Target))
        checked = {key(item.path) for item in items if isinstance(item, Target)}
        if self.mode == "check":
            items.sort(key=lambda item: item.display if isinstance(item, Target) else str(item))
            self.streamed = printer(self.output_format) if stream else None
            results = check_items(items, jobs=self.jobs, project=self.project, cache=_cache(use_cache))
        else:
            from loopcheck.fixes.runner import notes_on_other_files

            results = (notes_on_other_files(result, self.unsafe, checked)
                       for result in reported_once(self._fix_items(items), Settings(), self.project))
        try:
            with progress.track(results, targets) as tracked:
                for result in tracked:
                    self._take(result, checked)
        finally:
            # Also on Ctrl-C: a JSON array printed so far is closed and stays a valid document.
            if self.streamed is not None:
                self.streamed.close()

    def _take(self, result: "FileResult", checked: "set[str]") -> None:
        from loopcheck.fixes.scope import in_unchecked_files

        for note in result.notes:
            self.notes.append(note)
            self._tell("note", note)
        if result.error:
            self.errors.append(result.error)
            self._tell("error", result.error)
            return
        self.files += 1
        self.findings.extend(result.findings)
        self.elsewhere.update(in_unchecked_files(result, checked))
        if self.streamed is not None:
            self.streamed.write(sorted(result.findings, key=lambda f: f.sort_key()))

    def _tell(self, level: str, message: str) -> None:
        tell(level, message, self.output_format)

    def _fix_items(self, items: Sequence[object]) -> "Iterator[FileResult]":
        from loopcheck.checker import FileResult, Settings, settings_for
        from loopcheck.files import Target
        from loopcheck.fixes.runner import fix_all

        targets = [item for item in items if isinstance(item, Target)]
        results = iter(fix_all(targets, lambda target: settings_for(target, Settings(), self.project), self.unsafe,
                               write=self.mode == "fix"))
        for item in items:
            if not isinstance(item, Target):
                yield FileResult("", error=str(item))
                continue
            result = next(results)
            self.fixed.extend(result.fixed)
            if self.mode == "diff" and result.diff:
                click.echo(result.diff, nl=False)
            elif item.path == "-" and self.mode == "fix":   # standard input: the fixed text is the output
                self.stdin_fixed = True
                click.echo(result.output or b"", nl=False)
            yield result

    def report(self, output_format: str, statistics: bool, quiet: bool) -> None:
        from loopcheck.report import text
        from loopcheck.report.streaming import printer

        findings = sorted(self.findings, key=lambda f: f.sort_key())
        if self.mode == "diff":
            if not quiet:
                click.echo(self._diff_summary(findings), err=True)
            return
        # Standard input fixed in place of a file: stdout holds the code, so findings go to stderr.
        to_stderr = self.stdin_fixed
        if statistics:
            from loopcheck.report import statistics as stats

            # With sarif/github the machine output stays on stdout; the table goes to stderr.
            rendered = stats.render(findings, "json" if output_format == "json" else "text")
            if rendered:
                click.echo(rendered, err=to_stderr or output_format in ("sarif", "github"))
            if output_format not in ("sarif", "github"):
                return
        if output_format == "sarif":
            from loopcheck.report import sarif

            click.echo(sarif.render(findings, self.errors, notes=self.notes), err=to_stderr)
            return
        everything = printer(output_format, to_stderr) if self.streamed is None else None
        if everything is not None:
            everything.write(findings)
            everything.close()
        if output_format in ("text", "concise") and not quiet:
            click.echo(text.summary_line(findings, self.files, len(self.errors)) + self._fix_note(findings), err=to_stderr)

    def _fix_note(self, findings: "Sequence[Finding]") -> str:
        from loopcheck.fixes import fixable

        note = ""
        if self.fixed:
            note += f" Fixed {len(self.fixed)} problem{'s' if len(self.fixed) != 1 else ''}."
        findings = [f for f in findings if f not in self.elsewhere]
        safe = sum(1 for f in findings if fixable(f.code, False))
        unsafe = sum(1 for f in findings if fixable(f.code, True)) - safe
        if self.mode == "check" and self.unsafe and safe + unsafe:
            note += f"\n{safe + unsafe} fixable with --fix --unsafe-fixes (see them first with --diff --unsafe-fixes)."
        elif self.mode == "check" and safe:
            note += f"\n{safe} fixable with --fix (see them first with --diff)."
        if unsafe and not self.unsafe:
            note += f"\n{unsafe} more fixable with --fix --unsafe-fixes."
        return note

    def _diff_summary(self, findings: "Sequence[Finding]") -> str:
        fixed = len(self.fixed)
        return (f"Would fix {fixed} problem{'s' if fixed != 1 else ''}; "
                f"{len(findings)} would remain ({self.files} file{'s' if self.files != 1 else ''} checked).")


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Print the documentation of one rule (e.g. `loopcheck rule LC101`)."""
    from loopcheck.ruledocs import read_doc

    info = BY_CODE.get(code.upper()) or next((r for r in RULES if r.name == code.lower()), None)
    if info is None:
        import difflib

        hint = difflib.get_close_matches(code.upper(), list(BY_CODE) + [r.name for r in RULES], n=1)
        suggestion = f"; did you mean {hint[0]}?" if hint else "; see `loopcheck rules`"
        click.echo(f"loopcheck: error: unknown rule {code!r}{suggestion}", err=True)
        sys.exit(EXIT_ERROR)
    doc = read_doc(info)
    click.echo(doc if doc is not None else f"{info.code} ({info.name}): {info.summary}")


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, severity, where it is checked, and what it finds."""
    if output_format == "json":
        import json

        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                                "static": r.static, "runtime": r.runtime, "summary": r.summary}
                               for r in RULES], indent=2))
        return
    width = max(len(r.name) for r in RULES)
    for r in RULES:
        where = "+".join(w for w, on in (("static", r.static), ("runtime", r.runtime)) if on)
        click.echo(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {where:<14}  {r.summary}")


def _register_optional_commands() -> None:
    try:
        from loopcheck.cli_run import run_command
    except ImportError:
        return
    main.add_command(run_command, "run")


_register_optional_commands()
