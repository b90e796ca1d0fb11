"""Speed work must not change what loopcheck reports: dump every result of a set of files, compare two dumps.

    python benchmarks/performance/same_findings.py --out before.json PATH...   # at the old commit
    python benchmarks/performance/same_findings.py --out after.json PATH...    # at the new one
    python benchmarks/performance/same_findings.py --compare before.json after.json

A dump holds, per checked file, its findings as `--output-format json` writes them (code,
position, message, fix, extra), its error line and its analysis-limit notes, from one
`check_paths` run without cache (so the pre-filter and every other shortcut are exercised).
`--compare` prints each file whose results differ and exits 1 when any does.
Useful inputs: fixtures/, benchmarks/accuracy/corpus, tests/static/cases, tests/static/combined,
the real-code corpora extracted by `benchmarks/accuracy/real_repos.py` and large trees such as an
installed torch package.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

ROOT = Path(__file__).resolve().parents[2]


def dump(paths: Sequence[str], jobs: int) -> dict[str, dict]:
    sys.path.insert(0, str(ROOT))
    from loopcheck.checker import check_paths

    results: dict[str, dict] = {}
    for result in check_paths(paths, jobs=jobs):
        results[result.display] = {
            "findings": sorted((f.to_dict() for f in result.findings),
                               key=lambda d: json.dumps(d, sort_keys=True)),
            "error": result.error,
            "notes": sorted(result.notes),
        }
    return results


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    differing = []
    for display in sorted(set(before) | set(after)):
        if before.get(display) != after.get(display):
            differing.append(display)
    return differing


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--out", type=Path, help="write the dump of PATHS here")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(path.read_text()) for path in args.compare)
        differing = compare(before, after)
        for display in differing:
            print(f"{display}:\n  before: {json.dumps(before.get(display))}\n  after:  {json.dumps(after.get(display))}")
        total = sum(len(r["findings"]) for r in after.values())
        print(f"{len(after)} files, {total} findings; {len(differing)} files differ")
        return 1 if differing else 0
    if args.out is None or not args.paths:
        parser.error("give --out and PATHS, or --compare BEFORE AFTER")
    results = dump(args.paths, args.jobs)
    args.out.write_text(json.dumps(results, indent=0, sort_keys=True))
    print(f"{len(results)} files, {sum(len(r['findings']) for r in results.values())} findings -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
