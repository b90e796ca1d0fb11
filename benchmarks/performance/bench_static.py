"""Speed of the static checker, measured in one run against its floor and its neighbours.

    python benchmarks/performance/bench_static.py                 # repository corpus + worst cases
    python benchmarks/performance/bench_static.py --corpus DIR    # also a snapshot of public code
    python benchmarks/performance/bench_static.py --manifest benchmarks/accuracy/real/manifest.csv --snapshots DIR
    python benchmarks/performance/bench_static.py --jobs 2 --json results.json
    python benchmarks/performance/bench_static.py --tree DIR       # one large tree, e.g. torch's source

The corpus: fixtures/, benchmarks/accuracy/corpus/, the generated worst-case files written by
`worst_cases()` (deep `elif` chains, long sums, thousands of adjacent literals, 30 independent
flags in one loop, a deep call chain, mutual recursion, a 2,000-line and a 10,000-line file) and,
with --corpus, every *.py under DIR (a local snapshot of public code, see docs/performance.md), with
--manifest, the *.py files a manifest of public files lists (repository, commit, path: the accuracy
benchmark's real-code manifests), read from local git snapshots of those repositories (--snapshots,
as for benchmarks/accuracy/real_repos.py). Measured, each over the same files:

- bare libcst: `libcst.parse_module` of every file, and of the files the pre-filter keeps (the
  floor of any libcst tool), in this process, CPU seconds;
- loopcheck cold (`--no-cache`, with `-j` workers and with one) and warm (a run over a filled
  cache), as subprocesses of a frozen copy of loopcheck, wall and CPU seconds (CPU includes the
  workers: on a loaded machine it is the figure to compare);
- one file: `loopcheck --no-cache FILE` against `python -c "import libcst, click"`, the median of
  several runs of each with bytecode caches allowed, as an installed package has them (alone:
  --one-file);
- per file: loopcheck's analysis over its own bare parse, the worst ratio and where; a file over
  --budget seconds is reported by name and left out of the timed whole-corpus runs;
- ruff and TorchFix, when installed in benchmarks/.tools (a virtual environment of this folder's
  own: `python -m venv benchmarks/.tools && benchmarks/.tools/bin/pip install ruff torchfix`).

With --tree DIR, only one large tree instead (every *.py under DIR, e.g. an installed torch
package): the bare parse of all its files and of those the pre-filter keeps, loopcheck cold over
the same files with `-j` workers and with one (or the counts of --tree-runs), how long until the
first finding is printed, the largest memory of any loopcheck process so far, and the files that
could not be checked.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Optional, Sequence

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TOOLS = ROOT / "benchmarks" / ".tools" / "bin"


def worst_cases() -> dict[str, str]:
    """Generated inputs that stress one dimension each; all valid Python with a training loop."""
    loop = ("for x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n"
            "    loss.backward()\n    optimizer.step()\n")
    flags = "".join(f"    if args.flag{i}:\n        x = x * {i}\n" for i in range(30))
    chain = "".join(f"def f{i}(x):\n" + "".join(f"    f{i + 1}(x)\n" for _ in range(10)) for i in range(5))
    chain += "def f5(x):\n    loss = model(x).sum()\n    loss.backward()\n    optimizer.step()\n"
    fixtures = sorted((ROOT / "fixtures").rglob("*.py"))
    big = "\n\n".join(p.read_text(encoding="utf-8") for p in fixtures)
    return {
        "elif_800.py": loop + "def pick(x):\n    if x == 0:\n        return 0\n"
                       + "".join(f"    elif x == {i}:\n        return {i}\n" for i in range(1, 800)),
        "sum_500.py": loop + "total = " + " + ".join(["1"] * 500) + "\n",
        "literals_3000.py": loop + "text = (" + " ".join(['"a"'] * 3000) + ")\n",
        "flags_30.py": "for x, y in loader:\n    optimizer.zero_grad()\n" + flags
                       + "    loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()\n",
        "call_chain.py": chain + "for x in loader:\n    optimizer.zero_grad()\n    f0(x)\n",
        "mutual_recursion.py": "def a(x):\n    b(x)\n    loss.backward()\ndef b(x):\n    a(x)\n    optimizer.step()\n"
                               + "for x in loader:\n    a(x)\n",
        "lines_2000.py": _lines(big, 2000),
        "lines_10000.py": _lines(big, 10_000),
    }


def _lines(text: str, count: int) -> str:
    lines = text.splitlines()
    while len(lines) < count:
        lines += lines
    # Cut at a top-level statement so that the file stays valid Python.
    cut = count
    while cut < len(lines) and (lines[cut].startswith((" ", "\t", ")", "]", "}")) or not lines[cut].strip()):
        cut += 1
    return "\n".join(lines[:cut]) + "\n"


def corpus(snapshot: Optional[Path], worst_dir: Path, public: Sequence[Path] = ()) -> list[Path]:
    files = sorted((ROOT / "fixtures").rglob("*.py")) + sorted((ROOT / "benchmarks/accuracy/corpus").glob("*.py"))
    if snapshot is not None:
        files += sorted(snapshot.rglob("*.py"))
    files += sorted(public)
    for name, text in worst_cases().items():
        (worst_dir / name).write_text(text, encoding="utf-8")
    return files + sorted(worst_dir.glob("*.py"))


def manifest_files(manifests: Sequence[Path], snapshots: Optional[Path], dest: Path) -> list[Path]:
    """The *.py files the manifests list, written under dest from the repositories' git snapshots."""
    sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
    from real_repos import MANIFEST_FIELDS, extract, read_csv

    rows = {}
    for manifest in manifests:
        for row in read_csv(manifest, MANIFEST_FIELDS):
            if row["path"].endswith(".py"):
                rows[(row["repo"], row["path"])] = row
    return [Path(p) for p in extract(list(rows.values()), snapshots, {}, dest)]


def bare_parse(files: Sequence[Path]) -> dict[Path, float]:
    import libcst

    times = {}
    for path in files:
        source = path.read_text(encoding="utf-8", errors="replace")
        started = time.process_time()
        try:
            libcst.parse_module(source)
        except Exception:   # counted all the same: loopcheck pays for the attempt too
            pass
        times[path] = time.process_time() - started
    return times


def _analyse_cpu(path: str) -> float:
    from loopcheck.checker import check_source

    source = Path(path).read_text(encoding="utf-8", errors="replace")
    started = time.process_time()
    try:
        check_source(source, path)
    except Exception:
        pass
    return time.process_time() - started


def per_file(files: Sequence[Path], budget: float) -> tuple[dict[Path, float], list[Path]]:
    """loopcheck's CPU seconds per file, each in a child process; files over `budget` seconds are
    returned apart (the child is ended) so that one runaway file cannot stall the benchmark."""
    import multiprocessing

    seconds: dict[Path, float] = {}
    over: list[Path] = []
    pool = multiprocessing.Pool(1)
    try:
        for path in files:
            try:
                seconds[path] = pool.apply_async(_analyse_cpu, (str(path),)).get(timeout=budget)
            except multiprocessing.TimeoutError:
                over.append(path)
                pool.terminate()
                pool = multiprocessing.Pool(1)
    finally:
        pool.terminate()
    return seconds, over


def worst_ratio(analysed: dict[Path, float], parse: dict[Path, float]) -> tuple[float, str]:
    """The largest analysis / bare parse ratio among files whose parse takes at least 10 ms."""
    ratios = [(analysed[p] / parse[p], p.name) for p in analysed if parse[p] >= 0.01]
    return max(ratios, default=(0.0, ""))


def timed(command: Sequence[str], cwd: Path, env: Optional[dict[str, str]] = None,
          timeout: float = 3600) -> Optional[tuple[float, float]]:
    """(wall seconds, CPU seconds of the command and its children); CPU is what a loaded machine
    does not distort."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, timeout=timeout,
                       cwd=cwd)
    except (OSError, subprocess.TimeoutExpired):
        return None
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_file(frozen: Path, env: dict[str, str], runs: int) -> dict[str, object]:
    """`loopcheck --no-cache FILE` on one fixture against `python -c "import libcst, click"`: the
    median wall and CPU seconds of `runs` runs of each, taken in turns so that a change in the
    machine's load reaches both. Bytecode caches are allowed and written by a first run of each
    that is not counted (an installed package has its .pyc files; PYTHONDONTWRITEBYTECODE, set in
    some environments, would compile loopcheck again on every run and measure the compiler)."""
    env = {name: value for name, value in env.items() if name != "PYTHONDONTWRITEBYTECODE"}
    fixture = str(ROOT / "fixtures" / "buggy" / "LC101_no_zero_grad.py")
    commands = {"loopcheck_one_file": [sys.executable, "-m", "loopcheck", "--no-cache", fixture],
                "python_import_libcst_click": [sys.executable, "-c", "import libcst, click"]}
    for command in commands.values():
        timed(command, frozen, env)
    measured: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            result = timed(command, frozen, env)
            if result is not None:
                measured[name].append(result)
    medians = {name: (statistics.median(w for w, _ in times), statistics.median(c for _, c in times))
               for name, times in measured.items() if times}
    figures: dict[str, object] = {name: _round(value) for name, value in medians.items()}
    if len(medians) == 2:
        figures["one_file_to_import_cpu_ratio"] = round(
            medians["loopcheck_one_file"][1] / medians["python_import_libcst_click"][1], 2)
    figures["one_file_runs"] = runs
    return figures


def measure_one_file(runs: int) -> dict[str, object]:
    """`one_file` alone, on a frozen copy of loopcheck."""
    work = Path(tempfile.mkdtemp(prefix="loopcheck-bench-"))
    try:
        frozen = work / "src"
        shutil.copytree(ROOT / "loopcheck", frozen / "loopcheck", ignore=shutil.ignore_patterns("__pycache__"))
        env = {**os.environ, "LOOPCHECK_CACHE_DIR": str(work / "cache")}
        return one_file(frozen, env, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def streamed_run(command: Sequence[str], cwd: Path, env: dict[str, str], timeout: float) -> dict[str, object]:
    """One loopcheck run with text output: wall and CPU seconds, seconds until its first line of
    output, the lines of findings, the stderr lines that report a file not checked and the number
    of notes on analysis limits reached."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    first: Optional[float] = None
    findings = 0
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=cwd)
        assert process.stdout is not None
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        for line in process.stdout:
            first = first if first is not None else time.perf_counter() - started
            findings += b": LC" in line
        process.wait()
        timer.cancel()
        wall = time.perf_counter() - started
        stderr.seek(0)
        told = [line.decode("utf-8", "replace").rstrip() for line in stderr]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_s": round(wall, 1), "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1),
            "first_output_s": round(first, 1) if first is not None else None, "exit_code": process.returncode,
            "findings": findings,
            "not_checked": [line for line in told if line.startswith("loopcheck: error")],
            "limit_notes": sum(line.startswith("loopcheck: note") for line in told),
            "largest_process_mib_so_far": round(after.ru_maxrss / 1024)}


def kept_by_prefilter(path: Path, text: str) -> bool:
    """Both tests of loopcheck.prefilter: the raw text's words, then the code's evidence."""
    from loopcheck.files import UnreadableFile
    from loopcheck.limits import check_parseable
    from loopcheck.prefilter import may_have_findings, worth_analysing

    if not may_have_findings(text):
        return False
    try:
        return worth_analysing(check_parseable(text, str(path)), text, str(path))
    except UnreadableFile:
        return False


def measure_tree(tree: Path, jobs: Sequence[int], timeout: float) -> dict[str, object]:
    from loopcheck.prefilter import may_have_findings

    work = Path(tempfile.mkdtemp(prefix="loopcheck-bench-"))
    try:
        frozen = work / "src"
        shutil.copytree(ROOT / "loopcheck", frozen / "loopcheck", ignore=shutil.ignore_patterns("__pycache__"))
        files = sorted(tree.resolve().rglob("*.py"))
        texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in files}
        by_text = [p for p in files if may_have_findings(texts[p])]
        kept = [p for p in by_text if kept_by_prefilter(p, texts[p])]
        parse = bare_parse(files)
        print(f"bare parse: {sum(parse.values()):.1f} CPU s", file=sys.stderr, flush=True)
        env = {**os.environ, "LOOPCHECK_CACHE_DIR": str(work / "cache")}
        names = [str(p) for p in files]
        runs = {}
        for n in jobs:
            runs[f"loopcheck_cold_j{n}"] = streamed_run([sys.executable, "-m", "loopcheck", "check", "--no-cache", "-q",
                                                         "-j", str(n), *names], frozen, env, timeout)
            print(f"-j {n}:", json.dumps(runs[f"loopcheck_cold_j{n}"]), file=sys.stderr, flush=True)   # a long run's progress
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "tree": str(tree), "files": len(files), "lines": sum(t.count("\n") for t in texts.values()),
        "files_kept_by_text_prefilter": len(by_text), "lines_kept_by_text": sum(texts[p].count("\n") for p in by_text),
        "files_kept_by_prefilter": len(kept), "lines_kept": sum(texts[p].count("\n") for p in kept),
        "bare_libcst_parse_cpu_s": round(sum(parse.values()), 1),
        "bare_libcst_parse_of_kept_cpu_s": round(sum(parse[p] for p in kept), 1),
        **runs,
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="a snapshot folder of public Python files")
    parser.add_argument("--manifest", type=Path, action="append", default=[],
                        help="a manifest.csv of public files (repository, commit, path); repeatable")
    parser.add_argument("--snapshots", type=Path, default=None,
                        help="with --manifest: folder of git snapshots named <owner>+<name>")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--budget", type=float, default=60,
                        help="CPU seconds one file may take; slower files are reported and left out of the timed runs")
    parser.add_argument("--tree", type=Path, default=None,
                        help="measure only this one large tree (e.g. an installed torch package's folder)")
    parser.add_argument("--tree-timeout", type=float, default=7200, help="wall seconds each run over --tree may take")
    parser.add_argument("--tree-runs", default=None,
                        help="comma-separated worker counts of the runs over --tree (default: --jobs, then 1)")
    parser.add_argument("--one-file", action="store_true",
                        help="measure only one file against `import libcst, click` (median of --one-file-runs)")
    parser.add_argument("--one-file-runs", type=int, default=7, help="runs of each for the one-file figure")
    args = parser.parse_args(argv)
    if args.one_file:
        return report(measure_one_file(args.one_file_runs), args.json)
    if args.tree is not None:
        runs = [int(n) for n in args.tree_runs.split(",")] if args.tree_runs else list(dict.fromkeys((args.jobs, 1)))
        return report(measure_tree(args.tree, runs, args.tree_timeout), args.json)
    work = Path(tempfile.mkdtemp(prefix="loopcheck-bench-"))
    try:
        worst_dir = work / "worst"
        worst_dir.mkdir()
        public = manifest_files(args.manifest, args.snapshots, work / "public") if args.manifest else []
        files = corpus(args.corpus, worst_dir, public)
        lines = sum(p.read_text(encoding="utf-8", errors="replace").count("\n") for p in files)
        kept = [p for p in files if kept_by_prefilter(p, p.read_text(encoding="utf-8", errors="replace"))]
        parse = bare_parse(files)
        analysed, over_budget = per_file(files, args.budget)
        ratio, ratio_file = worst_ratio(analysed, parse)
        files = [p for p in files if p not in over_budget]
        kept = [p for p in kept if p not in over_budget]

        python = sys.executable
        # A frozen copy of loopcheck: the cache is keyed by loopcheck's own source files, and an
        # edit in the checkout during the run would turn the warm run cold.
        frozen = work / "src"
        shutil.copytree(ROOT / "loopcheck", frozen / "loopcheck", ignore=shutil.ignore_patterns("__pycache__"))
        loopcheck = [python, "-m", "loopcheck", "check", "-q", "-j", str(args.jobs)]
        names = [str(p) for p in files]
        env = {**os.environ, "LOOPCHECK_CACHE_DIR": str(work / "cache")}
        env.pop("LOOPCHECK_NO_CACHE", None)
        cold = timed([*loopcheck, "--no-cache", *names], frozen, env)
        cold_one_worker = timed([python, "-m", "loopcheck", "check", "-q", "-j", "1", "--no-cache", *names], frozen, env)
        filling = timed([*loopcheck, *names], frozen, env)
        warm = timed([*loopcheck, *names], frozen, env)
        single = one_file(frozen, env, args.one_file_runs)
        ruff = timed([str(TOOLS / "ruff"), "check", "--isolated", "--no-cache", "--exit-zero", *names], frozen) \
            if (TOOLS / "ruff").exists() else None
        torchfix = timed([str(TOOLS / "torchfix"), "--select", "ALL", *names], frozen) \
            if (TOOLS / "torchfix").exists() else None
        figures = {
            "files": len(files), "lines": lines, "files_kept_by_prefilter": len(kept), "jobs": args.jobs,
            "bare_libcst_parse_cpu_s": round(sum(parse.values()), 2),
            "bare_libcst_parse_of_kept_cpu_s": round(sum(parse[p] for p in kept), 2),
            "loopcheck_cold": _round(cold), "loopcheck_cold_one_worker": _round(cold_one_worker),
            "loopcheck_cache_fill": _round(filling),
            "loopcheck_warm": _round(warm), **single,
            "loopcheck_analysis_cpu_s": round(sum(analysed.values()), 2),
            "worst_file_ratio_to_its_parse": round(ratio, 1), "worst_file": ratio_file,
            "slowest_files_cpu_s": {p.name: round(t, 2) for p, t in sorted(analysed.items(), key=lambda i: -i[1])[:5]},
            "files_over_budget": [p.name for p in over_budget], "budget_s": args.budget,
            "ruff": _round(ruff), "torchfix": _round(torchfix),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(figures, args.json)


def report(figures: dict[str, object], to: Optional[Path]) -> int:
    print(json.dumps(figures, indent=2))
    if to is not None:
        to.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


def _round(value: Optional[tuple[float, float]]) -> Optional[dict[str, float]]:
    return {"wall_s": round(value[0], 2), "cpu_s": round(value[1], 2)} if value is not None else None


if __name__ == "__main__":
    sys.exit(main())
