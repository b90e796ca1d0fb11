"""Cost of the loss wrappers per loss call (CPU): LC601's (loopcheck/runtime/loss_shapes.py)
and LC109's (loopcheck/runtime/softmax_losses.py).

Times `F.mse_loss` and `nn.MSELoss` on a (32, 1) prediction, with a target of the same shape
(the common, correct case: one shape comparison) and of shape (32,) (the bug: the site is
located and counted), and `nn.CrossEntropyLoss` on (32, 10) logits from a Linear layer (the
correct case: one look at the input's autograd node) and on softmax output (the bug), plain and
inside `loopcheck.watch()`. Modes are interleaved within every repetition and the median CPU
time of this process is reported.

    python benchmarks/performance/bench_loss_shapes.py
"""
from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import loopcheck  # noqa: E402

CALLS = 5000
REPEATS = 9


def per_call_us(call, watched: bool) -> float:  # noqa: ANN001
    watcher = loopcheck.watch(quiet=True) if watched else None
    if watcher is not None:
        watcher.__enter__()
    try:
        start = time.process_time()
        for _ in range(CALLS):
            call()
        return (time.process_time() - start) / CALLS * 1e6
    finally:
        if watcher is not None:
            watcher.__exit__(None, None, None)


def main() -> None:
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")   # torch's size warning on the (32,) target
    prediction, same, flat = torch.randn(32, 1), torch.randn(32, 1), torch.randn(32)
    criterion, cross_entropy = nn.MSELoss(), nn.CrossEntropyLoss()
    logits = nn.Linear(16, 10)(torch.randn(32, 16))
    probabilities, labels = logits.softmax(1), torch.randint(0, 10, (32,))
    cases = {
        "F.mse_loss, equal shapes": lambda: F.mse_loss(prediction, same),
        "nn.MSELoss, equal shapes": lambda: criterion(prediction, same),
        "F.mse_loss, (32, 1) vs (32,)": lambda: F.mse_loss(prediction, flat),
        "nn.CrossEntropyLoss, logits": lambda: cross_entropy(logits, labels),
        "nn.CrossEntropyLoss, softmax output": lambda: cross_entropy(probabilities, labels),
    }
    print("| call | plain (µs) | watched (µs) | added (µs) |")
    print("|---|---|---|---|")
    for name, call in cases.items():
        samples: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(REPEATS):
            for watched in (False, True):
                samples[watched].append(per_call_us(call, watched))
        plain, watched = statistics.median(samples[False]), statistics.median(samples[True])
        print(f"| {name} | {plain:.1f} | {watched:.1f} | {watched - plain:+.1f} |")


if __name__ == "__main__":
    main()
