"""A real 2-process torchrun + DDP (gloo, CPU, loopback only) under `loopcheck run`."""
import pytest

pytest.importorskip("torch")

import json  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402

from tests.run.run_helpers import REPO, cli_env  # noqa: E402

from loopcheck.runtime import distributed  # noqa: E402

DDP_SCRIPT = textwrap.dedent('''
    import torch
    import torch.distributed as dist
    from torch import nn
    from torch.nn.parallel import DistributedDataParallel as DDP
    from torch.utils.data import DataLoader, TensorDataset
    from torch.utils.data.distributed import DistributedSampler

    def main():
        dist.init_process_group("gloo")
        torch.manual_seed(0)
        model = DDP(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        data = TensorDataset(torch.randn(32, 4), torch.randn(32, 1))
        loader = DataLoader(data, batch_size=4, sampler=DistributedSampler(data))
        for x, y in loader:
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()          # no zero_grad: LC101 on every rank
            optimizer.step()
        print(f"rank {dist.get_rank()} done", flush=True)
        dist.destroy_process_group()

    if __name__ == "__main__":
        main()
''')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _torchrun_two_ranks(cwd, *run_args: str) -> subprocess.CompletedProcess:  # noqa: ANN001
    """`torchrun --nproc-per-node 2 -m loopcheck run <run_args>` on the loopback, gloo."""
    port = _free_port()
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-addr", "127.0.0.1",
           "--master-port", str(port), "-m", "loopcheck", "run", *run_args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=cli_env(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), OMP_NUM_THREADS="1",
                                      GLOO_SOCKET_IFNAME="lo", LOOPCHECK_RANK_WAIT="60"))


@pytest.mark.slow
def test_torchrun_two_ranks_write_reports_and_rank0_merges(tmp_path):
    (tmp_path / "train_ddp.py").write_text(DDP_SCRIPT)
    proc = _torchrun_two_ranks(tmp_path, "--limit-batches", "3", "train_ddp.py")
    assert "rank 0 done" in proc.stdout and "rank 1 done" in proc.stdout, proc.stderr
    reports = {r: json.loads((tmp_path / f"loopcheck-report.rank{r}.json").read_text()) for r in (0, 1)}
    for rank, data in reports.items():
        assert data["run"]["rank"] == rank and data["run"]["world_size"] == 2
        assert data["run"]["optimizer_steps"] == 3
        assert any(f["code"] == "LC101" for f in data["findings"])
    assert proc.stderr.count("merged report of 2 ranks") == 1
    merged = proc.stderr.split("merged report of 2 ranks", 1)[1]
    assert "rank 0: completed" in merged and "rank 1: completed" in merged
    assert "LC101" in merged and "[ranks 0,1]" in merged
    assert proc.returncode != 0               # error findings: torchrun reports the workers' exit code 1


def test_rank_detection_and_file_names(tmp_path):
    info = distributed.rank_info({"RANK": "1", "WORLD_SIZE": "2", "LOCAL_RANK": "1"})
    assert info.is_distributed and not info.is_main
    assert distributed.rank_info({}).is_distributed is False
    assert distributed.rank_path("out/report.json", 1).as_posix() == "out/report.rank1.json"
    assert distributed.rank_path("report", 0).name == "report.rank0.json"


def test_merge_deduplicates_findings_across_ranks():
    finding = {"code": "LC101", "path": "t.py", "line": 3, "column": 1, "name": "missing-zero-grad",
               "message": "m", "severity": "error", "count": 2}
    merged = distributed.merge_reports({0: {"findings": [finding], "summary": {"steps": 3}},
                                        1: {"findings": [finding], "summary": {"steps": 3},
                                            "run": {"outcome": "max-steps", "optimizer_steps": 3,
                                                    "stopped_at": "t.py:9", "findings": 1}}}, 3)
    assert len(merged["findings"]) == 1
    assert merged["findings"][0]["ranks"] == [0, 1] and merged["findings"][0]["count"] == 4
    assert merged["missing_ranks"] == [2]
    text = distributed.format_merged(merged, 3)
    assert "rank 2: no report" in text and "[ranks 0,1]" in text
    assert "rank 1: max-steps at t.py:9, 3 optimizer steps, 1 finding" in text


def test_rank0_ignores_stale_files(tmp_path):
    info = distributed.RankInfo(0, 2, 0)
    base = str(tmp_path / "r.json")
    distributed.write_rank_report({"findings": []}, base, distributed.RankInfo(1, 2, 1))
    import os
    import time
    old = time.time() - 3600
    os.utime(distributed.rank_path(base, 1), (old, old))
    distributed.write_rank_report({"findings": []}, base, info)
    found = distributed.collect_rank_reports(base, info, started=time.time() - 5, timeout=0.3)
    assert set(found) == {0}


@pytest.mark.slow
def test_torchrun_rank0_fails_without_stalling_and_keeps_the_rank_prefix(tmp_path):
    """Rank 0 raises while rank 1 blocks in the next all-reduce: rank 0 reports at once (it does
    not wait for rank 1, which waits for it) and its traceback keeps torchrun's `[rank0]:`."""
    port = _free_port()
    script = REPO / "fixtures" / "realistic" / "ddp_rank0_fails.py"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-addr", "127.0.0.1",
           "--master-port", str(port), "-m", "loopcheck", "run", str(script), "--fail-at", "3"]
    # LOOPCHECK_RANK_WAIT=900: if rank 0 waited for rank 1, the run would outlast the timeout
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=240,
                          env=cli_env(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), OMP_NUM_THREADS="1",
                                      GLOO_SOCKET_IFNAME="lo", LOOPCHECK_RANK_WAIT="900"))
    assert proc.returncode != 0
    assert "[rank0]: ValueError: corrupt batch at step 3" in proc.stderr, proc.stderr[-3000:]
    assert "[rank0]:   File" in proc.stderr and "loopcheck/runtime" not in proc.stderr.split("ValueError")[0]
    merged = proc.stderr.split("merged report of 2 ranks", 1)[1]
    assert "rank 0: exception, 2 optimizer steps" in merged
    assert "rank 1: no report yet (rank 0 failed first" in merged
    rank1 = json.loads((tmp_path / "loopcheck-report.rank1.json").read_text())   # written when rank 1 ended
    assert rank1["run"]["outcome"] in ("exception", "terminated")


@pytest.mark.slow
def test_torchrun_reports_accumulation_outside_no_sync_on_every_rank(tmp_path):
    """LC110 at runtime needs DDP, which the fixture builds only under torchrun (WORLD_SIZE > 1)."""
    script = REPO / "fixtures" / "buggy" / "LC110_no_sync_accumulation.py"
    line = next(n for n, text in enumerate(script.read_text().splitlines(), 1) if "expect: LC110" in text)
    proc = _torchrun_two_ranks(tmp_path, str(script), "--epochs", "1")
    for rank in (0, 1):
        data = json.loads((tmp_path / f"loopcheck-report.rank{rank}.json").read_text())
        hits = [f for f in data["findings"] if f["code"] == "LC110"]
        assert [f["line"] for f in hits] == [line], (proc.stderr, data["findings"])
        assert "4 of 8 DistributedDataParallel backwards" in hits[0]["message"]
        assert "world size 2" in hits[0]["message"]
