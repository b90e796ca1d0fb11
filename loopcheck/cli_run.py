"""`loopcheck run`: debug an unmodified training script (registered on the main click group).

Torch is imported inside the command only, so `loopcheck --help` and the static checker stay
fast and torch-free.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Optional

import click

EPILOG = """\b
Examples:
  loopcheck run train.py --epochs 3 --lr 0.1       # script args pass through unchanged
  loopcheck run -m mypkg.train --config cfg.yaml   # module form, like python -m
  loopcheck run --limit-batches 3 train.py         # every DataLoader yields at most 3 batches
  loopcheck run --max-steps 20 train.py            # stop after 20 optimizer steps, then report
  loopcheck run --output-format json --output report.json train.py   # JSON needs --output
  loopcheck run --html report.html train.py        # a self-contained timeline of the loop
  torchrun --nproc-per-node 2 -m loopcheck run train.py   # one report per rank

\b
Exit code: the script's own failure first (its exit code, 1 for an exception; stopped by
Ctrl-C or SIGTERM, the report is written and the signal re-raised, as python would end);
otherwise 1 if an error-severity finding was reported, else 0.
"""


@click.command(
    "run",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False,
                      "help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.option("-m", "module", metavar="MODULE", default=None, help="Run a module, like python -m MODULE.")
@click.option("--limit-batches", type=click.IntRange(min=1), default=None, metavar="N",
              help="Every DataLoader iteration yields at most N batches.")
@click.option("--max-steps", type=click.IntRange(min=1), default=None, metavar="N",
              help="Stop the script after N optimizer steps, then report.")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Write the report to FILE (under torchrun: one FILE.rankN per rank). Required with "
                   "--output-format json: the script's stdout is its own.")
@click.option("--html", "html", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also write a self-contained HTML timeline of the loop.")
@click.option("--device-audit", is_flag=True,
              help="Track explicit .to(device)/.cuda() moves so LC301 is caught on CPU-only machines.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with error findings (the script's own failure still counts).")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, without the behaviour summary.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run_command(module: Optional[str], limit_batches: Optional[int], max_steps: Optional[int], output_format: str,
                output: Optional[str], html: Optional[str], device_audit: bool, exit_zero: bool, quiet: bool,
                args: tuple[str, ...]) -> None:
    """Run SCRIPT (or -m MODULE) with ARGS under the runtime watcher and report what the loop did.

    \b
    loopcheck run [OPTIONS] SCRIPT [ARGS]...
    loopcheck run [OPTIONS] -m MODULE [ARGS]...
    """
    if module is None and not args:
        raise click.UsageError("give a script to run (loopcheck run train.py) or a module (-m pkg.train)")
    target, script_args = (module, list(args)) if module is not None else (args[0], list(args[1:]))
    if module is None and not Path(target).exists():
        raise click.UsageError(f"{target}: no such file")
    if output_format == "json" and not output:
        raise click.UsageError("--output-format json needs --output FILE (the script's stdout is its own)")
    for option, path in (("--output", output), ("--html", html)):
        _check_writable(option, path)
    try:
        import torch  # noqa: F401  (the runtime half needs it; say so plainly)
    except ImportError:
        raise click.ClickException("`loopcheck run` needs torch: pip install 'loopcheck[runtime]'") from None

    from loopcheck.runtime import distributed
    from loopcheck.runtime.run import RunOptions, SigtermGuard, run_script

    started = time.time()
    info = distributed.rank_info()
    with SigtermGuard() as sigterm:   # held from here until every report is written
        result = run_script(RunOptions(target, script_args, module is not None, limit_batches, max_steps,
                                       device_audit), sigterm)
        report = result.report
        data = report.to_json()
        data["run"] = {**result.to_json(), "target": target, "args": script_args,
                       "findings": len(data.get("findings", [])), **distributed.describe(info)}

        merged_errors = False
        if info.is_distributed:
            merged_errors = _report_distributed(report, data, output, output_format, quiet, info, started,
                                                wait=result.script_exit_code == 0)
        else:
            _report_single(report, data, output, output_format, quiet)
        if html:
            page = distributed.rank_path(html, info.rank) if info.is_distributed else html
            try:
                report.to_html(page)
            except Exception as exc:  # the report above is already out; say so and carry on
                click.echo(f"loopcheck: could not write the HTML report {page}: {type(exc).__name__}: {exc}",
                           err=True)
    signum = result.signal or (signal.SIGTERM if sigterm.received else None)

    errors = any(f.get("severity") == "error" for f in data.get("findings", []))
    if info.is_distributed and not info.is_main:
        # torchrun tears down every worker as soon as one exits non-zero: a rank that exits 1
        # for findings would kill rank 0 while it merges. Rank 0 carries the findings' code.
        errors = False
    elif info.is_distributed:
        errors = merged_errors
    code = result.script_exit_code or (1 if errors and not exit_zero else 0)
    sys.stdout.flush()
    sys.stderr.flush()
    if signum is not None:
        from loopcheck.runtime.run import reraise_signal

        reraise_signal(signum)
    sys.exit(code)


def _check_writable(option: str, path: Optional[str]) -> None:
    """A report path whose folder is missing fails now, not after the whole run."""
    if path is None:
        return
    folder = Path(path).parent
    if not folder.is_dir():
        raise click.UsageError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise click.UsageError(f"{option} {path}: the folder {folder} is not writable")


def _text(report, quiet: bool) -> str:
    if not quiet:
        return str(report)
    from loopcheck.report.text import format_finding  # the static checker's one-finding format

    lines = [format_finding(f) for f in report.findings]
    if report.stopped:
        lines.append(report.stopped_line())
    return "\n".join(lines)


def _report_single(report, data: dict, output: Optional[str], output_format: str, quiet: bool) -> None:
    if output_format == "json" and output:
        Path(output).write_text(json.dumps(data, indent=2, default=str) + "\n")
        n = len(data.get("findings", []))
        click.echo(f"loopcheck: {n} finding{'s' if n != 1 else ''}, report written to {output}", err=True)
        return
    text = _text(report, quiet)
    if output:
        Path(output).write_text(text + "\n")
    if text:
        click.echo(text, err=True)


def _report_distributed(report, data: dict, output: Optional[str], output_format: str, quiet: bool,
                        info, started: float, wait: bool) -> bool:
    """Every rank writes its JSON report (rank in the name); rank 0 merges and prints.

    Rank 0 waits for the other ranks' reports only when its script succeeded: a rank 0 that
    failed is what the others are blocked on (a collective), so it merges what is there.
    Returns whether the merged report (rank 0) has an error finding."""
    from loopcheck.runtime import distributed

    base = output or distributed.DEFAULT_REPORT
    if output_format == "text" and output:   # --output report.txt: keep the ranks' JSON beside it
        base = str(Path(output).with_suffix(".json"))
    distributed.write_rank_report(data, base, info)
    if not info.is_main:
        return False
    timeout = None if wait else distributed.FAILED_WAIT_SECONDS
    reports = distributed.collect_rank_reports(base, info, started, timeout=timeout)
    merged = distributed.merge_reports(reports, info.world_size)
    text = distributed.format_merged(merged, info.world_size, waited=wait)
    if output_format == "json" and output:
        Path(output).write_text(json.dumps(merged, indent=2, default=str) + "\n")
    if output_format == "text" and output:
        Path(output).write_text(text + "\n")
    own = _text(report, quiet)
    click.echo((own + "\n\n" if own else "") + text + f"\n(per-rank reports: {distributed.rank_path(base, 'N')})",
               err=True)
    return any(f.get("severity") == "error" for f in merged["findings"])
