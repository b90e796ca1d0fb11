"""Sanity checks for the benchmark inputs (no linter needed).

* every runnable corpus script runs to completion with the current interpreter (they are
  bug-free and use synthetic data, so a failure is a corpus bug);
* every mutant parses (libcst and compile), differs from its source, and its expected line
  exists; mutants never land in the corpus directory.

    python benchmarks/accuracy/check_corpus.py            # both
    python benchmarks/accuracy/check_corpus.py --no-run   # mutants only (a few seconds)
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mutate  # noqa: E402


def run_script(path: Path, timeout: int) -> tuple[Path, Optional[str], float]:
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="lc-corpus-") as cwd:
        try:
            proc = subprocess.run([sys.executable, str(path)], cwd=cwd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return path, f"timed out after {timeout}s", time.time() - t0
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return path, f"exit {proc.returncode}: {tail}", time.time() - t0
    return path, None, time.time() - t0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-run", action="store_true", help="skip running the corpus scripts")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args(argv)
    failures = 0

    scripts = mutate.corpus_files()
    runnable = [p for p in scripts if mutate.parse_header(p.read_text()).runnable]
    print(f"{len(scripts)} corpus scripts, {len(runnable)} runnable here")
    if not args.no_run:
        with ThreadPoolExecutor(max(1, args.jobs)) as ex:
            for path, error, secs in ex.map(lambda p: run_script(p, args.timeout), runnable):
                status = "ok" if error is None else f"FAILED ({error})"
                print(f"  {path.name:45s} {secs:5.1f}s {status}")
                failures += error is not None

    mutants = mutate.generate()
    problems = mutate.validate(mutants)
    for p in problems:
        print("  mutant problem:", p)
    failures += len(problems)
    print(f"{len(mutants)} mutants, {len(problems)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
