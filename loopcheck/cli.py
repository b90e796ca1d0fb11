"""The command line: `loopcheck [check] PATHS`, `loopcheck rule CODE`, `loopcheck rules`.

Exit codes (stable): 0 no findings, 1 findings, 2 usage error or a file that could not be checked.
"""
from __future__ import annotations

import difflib
import sys
from typing import Optional, Sequence

import click

from loopcheck import __version__
from loopcheck.catalogue import BY_CODE, RULES, is_known_selector

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EXAMPLES = """\b
Examples:
  loopcheck train.py                      check one file
  loopcheck src/ scripts/                 check every *.py below these folders
  cat train.py | loopcheck -              check standard input
  loopcheck --select LC1,LC201 train.py   only these codes (or prefixes)
  loopcheck --output-format json a.py     machine-readable findings
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


def validate_codes(codes: Sequence[str], option: str) -> None:
    for code in codes:
        if not is_known_selector(code):
            hint = difflib.get_close_matches(code, list(BY_CODE), n=1)
            suggestion = f" (did you mean {hint[0]}?)" if hint else ""
            raise click.BadParameter(f"unknown rule code {code!r}{suggestion}", param_hint=option)


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
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How findings are printed.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary line.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for many files (default: one per core).")
def check_command(paths: tuple[str, ...], select: Optional[str], ignore: Optional[str], output_format: str,
                  exit_zero: bool, quiet: bool, jobs: Optional[int]) -> None:
    """Check PATHS (files, folders, or - for stdin) for training-loop bugs."""
    from loopcheck.checker import Settings, check_paths
    from loopcheck.report import json_format, text

    if not paths:
        raise click.UsageError("no paths given; try `loopcheck train.py` or `loopcheck src/`")
    selected, ignored = split_codes(select), split_codes(ignore)
    validate_codes(selected, "--select")
    validate_codes(ignored, "--ignore")
    settings = Settings(select=tuple("LC" if s == "ALL" else s for s in selected) or ("LC",), ignore=ignored)

    findings = []
    failed = files = 0
    for result in check_paths(paths, settings, jobs):
        if result.error:
            failed += 1
            click.echo(f"loopcheck: error: {result.error}", err=True)
            continue
        files += 1
        findings.extend(result.findings)

    if output_format == "json":
        click.echo(json_format.render(findings))
    else:
        colour = sys.stdout.isatty()
        if findings:
            click.echo(text.render(findings, colour))
        if not quiet:
            click.echo(text.summary_line(findings, files))
    if failed:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if findings and not exit_zero else EXIT_CLEAN)


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Print the documentation of one rule (e.g. `loopcheck rule LC101`)."""
    from loopcheck.ruledocs import read_doc

    info = BY_CODE.get(code.upper()) or next((r for r in RULES if r.name == code.lower()), None)
    if info is None:
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
