"""Overhead of `loopcheck.watch` on real training steps (CPU).

Measures optimizer steps per second (wall clock, and per CPU-second of this process, which
is far less disturbed by other load on a shared machine) of the same training loop
* plain,
* inside `loopcheck.watch(model, optimizer)` (what a user writes),
* inside `Watcher(discover=True)` (what `loopcheck run` uses),
* inside `loopcheck.watch(model, optimizer)` with the observer's handlers replaced by no-ops
  (`intercept`: what intercepting forward, zero_grad, backward and step costs by itself,
  without recording anything),
* with `torch.autograd.set_detect_anomaly(True)` for comparison,
for a tiny MLP and torchvision's ResNet-18. Modes are interleaved within every repetition
(so drifting machine load hits all of them alike) and the median is reported.

    python benchmarks/performance/bench_watch.py                 # print the table
    python benchmarks/performance/bench_watch.py --write docs/performance.md
    python benchmarks/performance/bench_watch.py --quick          # a smoke run
    python benchmarks/performance/bench_watch.py --paired 40      # tiny MLP, paired blocks only
    python benchmarks/performance/bench_watch.py --paired-resnet 60 --block 2  # ResNet-18, watch and intercept
    python benchmarks/performance/bench_watch.py --paired-amp 40  # the same through a GradScaler and a clip
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, Optional
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402
from torch import nn  # noqa: E402

import loopcheck  # noqa: E402
from loopcheck.runtime.amp_checks import AmpChecks  # noqa: E402
from loopcheck.runtime.observer import Observer  # noqa: E402
from loopcheck.runtime.watch import Watcher  # noqa: E402


def tiny_mlp() -> tuple[nn.Module, torch.optim.Optimizer, Callable[[], None]]:
    model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(32, 32), torch.randint(0, 10, (32,))
    criterion = nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()

    return model, optimizer, step


def tiny_mlp_amp() -> tuple[nn.Module, torch.optim.Optimizer, Callable[[], None]]:
    """The tiny MLP through an enabled CPU GradScaler, with unscale_() and clip_grad_norm_()
    (the calls the LC111/LC112 checks observe)."""
    model, optimizer, _ = tiny_mlp()
    scaler = torch.amp.GradScaler("cpu")
    x, y = torch.randn(32, 32), torch.randint(0, 10, (32,))
    criterion = nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad()
        scaler.scale(criterion(model(x), y)).backward()
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.step(optimizer)
        scaler.update()

    return model, optimizer, step


def resnet18() -> tuple[nn.Module, torch.optim.Optimizer, Callable[[], None]]:
    import torchvision

    model = torchvision.models.resnet18(num_classes=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = torch.randn(8, 3, 64, 64), torch.randint(0, 10, (8,))
    criterion = nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()

    return model, optimizer, step


# What the hooks and patches call on every forward, zero_grad, backward and step.
_HANDLERS = ("forward_pre", "forward_post", "optimizer_cleared", "backward_begin", "backward_end",
             "step_pre", "step_post")


def _nothing(*_args: object, **_kwargs: object) -> None:
    return None


@contextlib.contextmanager
def mode_context(mode: str, model: nn.Module, optimizer: torch.optim.Optimizer) -> Iterator[None]:
    if mode == "plain":
        yield
    elif mode == "watch":
        with loopcheck.watch(model, optimizer, quiet=True):
            yield
    elif mode == "discover":
        with Watcher(quiet=True, discover=True):
            yield
    elif mode == "intercept":
        with contextlib.ExitStack() as stack:
            for name in _HANDLERS:
                stack.enter_context(mock.patch.object(Observer, name, _nothing))
            with loopcheck.watch(model, optimizer, quiet=True):
                yield
    elif mode == "anomaly":
        with torch.autograd.set_detect_anomaly(True):
            yield
    else:
        raise ValueError(mode)


def measure(step: Callable[[], None], model: nn.Module, optimizer: torch.optim.Optimizer,
            mode: str, steps: int) -> tuple[float, float]:
    """(wall-clock, CPU-time) steps per second over `steps` steps, watcher entry and exit
    (rule evaluation, report) included."""
    wall, cpu = time.perf_counter(), time.process_time()
    with mode_context(mode, model, optimizer):
        for _ in range(steps):
            step()
    return steps / (time.perf_counter() - wall), steps / (time.process_time() - cpu)


def bench(name: str, make, steps: int, repeats: int, modes: list[str]) -> dict[str, dict[str, float]]:  # noqa: ANN001
    torch.manual_seed(0)
    model, optimizer, step = make()
    for _ in range(max(3, steps // 10)):  # warm-up: allocator, lazy optimizer state
        step()
    samples: dict[str, dict[str, list[float]]] = {"wall": {m: [] for m in modes}, "cpu": {m: [] for m in modes}}
    rng = random.Random(0)
    for _ in range(repeats):
        order = modes[:]
        rng.shuffle(order)
        for mode in order:
            wall, cpu = measure(step, model, optimizer, mode, steps)
            samples["wall"][mode].append(wall)
            samples["cpu"][mode].append(cpu)
    medians = {clock: {m: statistics.median(v) for m, v in per.items()} for clock, per in samples.items()}
    for clock, per in medians.items():
        print(f"{name} ({clock}): " + ", ".join(f"{m} {per[m]:.1f} steps/s" for m in modes), file=sys.stderr)
    return medians


def paired(pairs: int, block: int = 100, make=tiny_mlp, baseline: str = "plain",  # noqa: ANN001
           mode: str = "watch", faults: Optional[dict[str, list[int]]] = None) -> float:
    """Median overhead of `mode` (watch, intercept, discover) from `pairs` pairs of adjacent
    blocks of `block` steps, one in `mode` and one plain, in this process (CPU time, GC off,
    watcher entry and exit outside the timed blocks): steadier than whole runs on a loaded
    machine, since both halves of a pair see the same load. The order within each pair is
    random (the watcher's exit, building its report, runs between the two blocks of half of
    the pairs, before the watched block of the other half). Each watched block is a new
    watcher's first `block` steps, where events are new and LC501/LC502 sample the
    parameters, so it reads a little high. With baseline="no-amp-checks" the other block is
    watched too, without the GradScaler and clip checks (AmpChecks not installed): what
    those checks cost by themselves. `faults`, when given, collects the minor page faults of
    each block per mode (a large-tensor workload's time moves with them)."""
    import gc
    import resource

    torch.manual_seed(0)
    model, optimizer, step = make()
    for _ in range(max(5, min(50, 10 * block))):
        step()

    def timed(name: str) -> float:
        flt = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        start = time.process_time()
        for _ in range(block):
            step()
        spent = time.process_time() - start
        if faults is not None:
            faults.setdefault(name, []).append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - flt)
        return spent

    def reference() -> float:
        if baseline == "plain":
            return timed("plain")
        with mock.patch.object(AmpChecks, "install", _nothing), loopcheck.watch(model, optimizer, quiet=True):
            return timed(baseline)

    def measured() -> float:
        with mode_context(mode, model, optimizer):
            return timed(mode)

    ratios = []
    rng = random.Random(0)
    gc.disable()
    try:
        for _ in range(pairs):
            if rng.random() < 0.5:
                watched = measured()
                ratios.append(watched / reference() - 1)
            else:
                plain = reference()
                ratios.append(measured() / plain - 1)
    finally:
        gc.enable()
    return statistics.median(ratios)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} CPU cores, torch {torch.__version__} "
            f"({torch.get_num_threads()} intra-op threads), Python {platform.python_version()}")


def table(results: dict[str, dict[str, dict[str, float]]], modes: list[str]) -> str:
    head = "| workload | clock | " + " | ".join(f"{m} (steps/s)" for m in modes) + " | " + \
        " | ".join(f"{m} overhead" for m in modes if m != "plain") + " |"
    sep = "|" + "---|" * (2 + 2 * len(modes) - 1)
    lines = [head, sep]
    for name, clocks in results.items():
        for clock, medians in clocks.items():
            plain = medians["plain"]
            cells = [f"{medians[m]:.1f}" for m in modes]
            over = [f"{(plain / medians[m] - 1) * 100:+.1f}%" for m in modes if m != "plain"]
            label = "wall" if clock == "wall" else "CPU time"
            lines.append(f"| {name} | {label} | " + " | ".join(cells) + " | " + " | ".join(over) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few steps and repeats (smoke test)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--write", metavar="PATH", help="replace the results block of this markdown file")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch intra-op threads (default 1: CPU time then measures work, not spinning)")
    parser.add_argument("--paired", type=int, metavar="PAIRS",
                        help="only the tiny MLP's watch overhead from PAIRS paired blocks (see paired())")
    parser.add_argument("--paired-resnet", type=int, metavar="PAIRS",
                        help="ResNet-18's watch and intercept overhead from PAIRS paired blocks of --block steps")
    parser.add_argument("--block", type=int, default=None,
                        help="steps per block of --paired (default 100) and --paired-resnet (default 2)")
    parser.add_argument("--paired-amp", type=int, metavar="PAIRS",
                        help="the same through a GradScaler, unscale_() and a clip, and what the GradScaler and "
                             "clip checks alone cost")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.paired:
        block = args.block or 100
        print(f"tiny MLP, watch, paired blocks of {block} steps (median of {args.paired}): "
              f"{paired(args.paired, block) * 100:+.1f}%")
        return
    if args.paired_resnet:
        n, block = args.paired_resnet, args.block or 2
        for mode in ("watch", "intercept"):
            faults: dict[str, list[int]] = {}
            over = paired(n, block, make=resnet18, mode=mode, faults=faults)
            per_step = {m: statistics.median(v) / block for m, v in faults.items()}
            print(f"ResNet-18, {mode}, paired blocks of {block} steps (median of {n}): {over * 100:+.2f}%"
                  f" (minor page faults per step, median: plain {per_step['plain']:.0f}, {mode} {per_step[mode]:.0f})")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average {load:.1f}")
        return
    if args.paired_amp:
        n = args.paired_amp
        print(f"tiny MLP + GradScaler/unscale_/clip, watch, paired blocks (median of {n}): "
              f"{paired(n, make=tiny_mlp_amp) * 100:+.1f}%")
        print(f"the GradScaler and clip checks (LC111/LC112) alone, paired blocks (median of {n}): "
              f"{paired(n, make=tiny_mlp_amp, baseline='no-amp-checks') * 100:+.1f}%")
        return
    modes = ["plain", "watch", "discover", "intercept", "anomaly"]
    repeats = args.repeats or (2 if args.quick else 11)
    results = {
        "tiny MLP (32-64-10, batch 32, Adam)": bench("mlp", tiny_mlp, 30 if args.quick else 400, repeats, modes),
        "ResNet-18 (8x3x64x64, SGD)": bench("resnet18", resnet18, 2 if args.quick else 15, repeats, modes),
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    text = (f"Machine: {machine()}; load average {load:.1f} when the run ended.\n"
            f"Median of {repeats} interleaved repetitions; overhead = plain time per step / mode time per step - 1 "
            "(CPU time: of this process, all threads).\n\n"
            + table(results, modes))
    print(text)
    if args.write:
        path = Path(args.write)
        doc = path.read_text()
        begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        before, rest = doc.split(begin, 1)
        _old, after = rest.split(end, 1)
        path.write_text(f"{before}{begin}\n{text}\n{end}{after}")


if __name__ == "__main__":
    main()
