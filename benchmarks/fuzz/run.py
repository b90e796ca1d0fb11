"""Fuzz the static checker: generated and mutated Python files, checked in parallel workers.

    python benchmarks/fuzz/run.py                    # 10,000 inputs, one worker per core
    python benchmarks/fuzz/run.py --count 500 --seed 7 --jobs 2

Every input must end in findings, a clean result or one line saying why the file was not checked:
an internal error, a dead worker, a file over --timeout seconds or a worker over --max-rss-mb of
memory fails the run (exit 1). The summary gives what docs/ecosystem.md records: inputs run, the
outcomes, the largest input, the slowest time per 1,000 lines and the workers' peak memory. Each
input is rebuilt from (seed, index) and the seed files (fixtures, accuracy corpus) of the checkout,
so a failure is replayed, in the same checkout, with `--only INDEX --dump FILE`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator, Optional, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

import programs  # noqa: E402

from loopcheck.checker import Settings, check_data  # noqa: E402
from loopcheck.files import Target  # noqa: E402

SEED_FOLDERS = (ROOT / "fixtures", ROOT / "benchmarks" / "accuracy" / "corpus")


@dataclass(frozen=True)
class Outcome:
    index: int
    kind: str              # findings | clean | not-checked | internal-error | timeout
    detail: str
    lines: int
    size: int
    seconds: float
    peak_rss_mb: float


def seed_sources() -> list[str]:
    return [path.read_text(encoding="utf-8") for folder in SEED_FOLDERS for path in sorted(folder.rglob("*.py"))]


def make_input(seed: int, index: int, seeds: Sequence[str]) -> bytes:
    rng = random.Random(seed * 1_000_003 + index)
    if rng.random() < 0.3:
        source = programs.generated(rng, size=rng.choice([10, 30, 80]))
    else:
        base = rng.choice(seeds) if rng.random() < 0.6 else programs.generated(rng)
        source = programs.mutated(base, rng)
    return programs.as_bytes(source, rng)


_SEEDS: list[str] = []


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SEEDS.extend(seed_sources())


class _Timeout(BaseException):
    """Not an Exception: check_data turns those into results, and a timeout must stay one.
    The analysis thread it interrupts runs on, so later timings of that worker are inflated."""


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def check_one(seed: int, index: int, timeout: int) -> Outcome:
    data = make_input(seed, index, _SEEDS)
    target = Target(f"fuzz_{index}.py", f"fuzz_{index}.py")
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    started = time.perf_counter()
    try:
        result = check_data(target, Settings(), data)
        kind = "findings" if result.findings else "clean"
        detail = ""
        if result.error:
            detail = result.error
            kind = "internal-error" if "internal error" in detail or "\n" in detail else "not-checked"
    except _Timeout:
        kind, detail = "timeout", f"over {timeout} s"
    except BaseException as error:   # check_data must never raise: this is the bug being hunted
        kind, detail = "internal-error", f"{type(error).__name__}: {error}"
    finally:
        signal.alarm(0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Outcome(index, kind, detail, data.count(b"\n") + 1, len(data), time.perf_counter() - started, peak)


def fuzz(count: int, seed: int = 0, jobs: Optional[int] = None, timeout: int = 120,
         only: Optional[int] = None) -> Iterator[Outcome]:
    indices = [only] if only is not None else list(range(count))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(indices)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
        yield from pool.map(check_one, [seed] * len(indices), indices, [timeout] * len(indices), chunksize=8)


def summarise(outcomes: Sequence[Outcome], max_rss_mb: float) -> dict[str, object]:
    kinds = Counter(o.kind for o in outcomes)
    failures = [o for o in outcomes if o.kind in ("internal-error", "timeout") or o.peak_rss_mb > max_rss_mb]
    sized = [o for o in outcomes if o.lines >= 20]
    slowest = max(sized, key=lambda o: o.seconds / o.lines, default=None)
    largest = max(outcomes, key=lambda o: o.size, default=None)
    return {
        "inputs": len(outcomes),
        "outcomes": dict(sorted(kinds.items())),
        "failures": [asdict(o) for o in failures[:20]],
        "largest_input": asdict(largest) if largest else None,
        "slowest_per_1k_lines_s": round(1000 * slowest.seconds / slowest.lines, 3) if slowest else None,
        "slowest_input": asdict(slowest) if slowest else None,
        "total_seconds": round(sum(o.seconds for o in outcomes), 1),
        "peak_worker_rss_mb": round(max((o.peak_rss_mb for o in outcomes), default=0), 1),
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per input")
    parser.add_argument("--max-rss-mb", type=float, default=2048)
    parser.add_argument("--only", type=int, default=None, help="replay one input by its index")
    parser.add_argument("--dump", type=Path, default=None, help="write input --only to this file")
    args = parser.parse_args(argv)
    if args.dump is not None and args.only is not None:
        args.dump.write_bytes(make_input(args.seed, args.only, seed_sources()))
        return 0
    started = time.perf_counter()
    outcomes = list(fuzz(args.count, args.seed, args.jobs, args.timeout, args.only))
    summary = summarise(outcomes, args.max_rss_mb)
    summary["wall_seconds"] = round(time.perf_counter() - started, 1)
    summary["command"] = "python benchmarks/fuzz/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(json.dumps(summary, indent=2))
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
