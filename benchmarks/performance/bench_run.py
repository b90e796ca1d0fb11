"""Overhead of `loopcheck run train.py` against plain `python train.py`.

Both are real subprocesses running the same generated script. Two numbers per model:
- loop time: the training loop's own duration, measured inside the script (the watcher's cost);
- wall time: the whole process, start-up included (what a CI smoke run pays).
Runs alternate between the two commands so machine noise hits both equally; medians are shown.

    python benchmarks/performance/bench_run.py                    # tiny MLP and ResNet-18 on CPU
    python benchmarks/performance/bench_run.py --model mlp --steps 2000 --repeats 7
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = '''
import json, sys, time
import torch
from torch import nn
torch.manual_seed(0)
torch.set_num_threads({threads})
kind, steps = "{model}", {steps}
if kind == "mlp":
    model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    x, y = torch.randn(64, 32), torch.randint(0, 10, (64,))
else:
    import torchvision
    model = torchvision.models.resnet18(num_classes=10)
    x, y = torch.randn(16, 3, 64, 64), torch.randint(0, 10, (16,))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=100)
loss_fn = nn.CrossEntropyLoss()

def step():
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    scheduler.step()

for _ in range(5):   # warm-up
    step()
start = time.perf_counter()
for _ in range(steps):
    step()
print("BENCH " + json.dumps({{"loop_s": time.perf_counter() - start}}), flush=True)
'''


def measure(cmd: list[str], cwd: Path) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    line = next(line for line in proc.stdout.splitlines() if line.startswith("BENCH "))
    return json.loads(line[6:])["loop_s"], wall


def bench(model: str, steps: int, repeats: int, threads: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "train.py"
        script.write_text(SCRIPT.format(model=model, steps=steps, threads=threads))
        plain_cmd = [sys.executable, str(script)]
        run_cmd = [sys.executable, "-m", "loopcheck", "run", "--quiet", "--exit-zero", str(script)]
        results: dict[str, list[tuple[float, float]]] = {"python": [], "loopcheck run": []}
        for _ in range(repeats):
            results["python"].append(measure(plain_cmd, Path(tmp)))
            results["loopcheck run"].append(measure(run_cmd, Path(tmp)))
    out = {"model": model, "steps": steps, "repeats": repeats, "threads": threads}
    for name, samples in results.items():
        out[name] = {"loop_s": statistics.median(s[0] for s in samples),
                     "wall_s": statistics.median(s[1] for s in samples)}
    base, watched = out["python"], out["loopcheck run"]
    out["loop_overhead_pct"] = 100 * (watched["loop_s"] / base["loop_s"] - 1)
    out["wall_overhead_s"] = watched["wall_s"] - base["wall_s"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=["mlp", "resnet18", "both"], default="both")
    parser.add_argument("--steps", type=int, default=None, help="default: 1000 (mlp), 30 (resnet18)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 = least noisy)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    models = ["mlp", "resnet18"] if args.model == "both" else [args.model]
    rows = [bench(m, args.steps or {"mlp": 1000, "resnet18": 30}[m], args.repeats, args.threads) for m in models]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'model':<10} {'steps':>6} {'loop python':>12} {'loop run':>10} {'overhead':>9} "
          f"{'wall python':>12} {'wall run':>10} {'extra':>8}")
    for r in rows:
        p, w = r["python"], r["loopcheck run"]
        print(f"{r['model']:<10} {r['steps']:>6} {p['loop_s']:>11.3f}s {w['loop_s']:>9.3f}s "
              f"{r['loop_overhead_pct']:>+8.1f}% {p['wall_s']:>11.2f}s {w['wall_s']:>9.2f}s {r['wall_overhead_s']:>+7.2f}s")


if __name__ == "__main__":
    main()
