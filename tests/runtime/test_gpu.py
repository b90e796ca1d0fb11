"""On a GPU: no host-device synchronisation from the watcher (torch raises on any sync in
"error" mode), and LC301 for a CPU batch reaching a CUDA model."""
import pytest

torch = pytest.importorskip("torch")

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]

from torch import nn  # noqa: E402

import loopcheck  # noqa: E402
from runtime_helpers import codes  # noqa: E402


def _model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 3)).cuda()


def test_watched_loop_never_synchronises():
    model = _model()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)
    scaler = torch.amp.GradScaler("cuda")
    criterion = nn.CrossEntropyLoss()
    xs = torch.randn(6, 16, 8, device="cuda")
    ys = torch.randint(0, 3, (6, 16), device="cuda")
    with loopcheck.watch(model, opt, quiet=True) as w:
        w.watch_scheduler(sched)
        torch.cuda.set_sync_debug_mode("error")
        try:
            for i in range(4):
                model.train()
                opt.zero_grad(set_to_none=True)
                with torch.autocast("cuda", dtype=torch.float16):
                    loss = criterion(model(xs[i]), ys[i])
                scaler.scale(loss).backward()
                # scaler.step/update read found_inf themselves; that sync is torch's, not ours
                torch.cuda.set_sync_debug_mode("default")
                scaler.step(opt)
                scaler.update()
                torch.cuda.set_sync_debug_mode("error")
                sched.step()
            model.eval()
            with torch.no_grad():
                model(xs[5])
        finally:
            torch.cuda.set_sync_debug_mode("default")
    assert codes(w) == set()
    assert "cuda:0" in w.report.summary["devices"]


def test_cpu_batch_reaching_cuda_model_is_lc301_before_torch_raises():
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    batch = torch.randn(4, 8)
    with loopcheck.watch(model, opt, quiet=True) as w:
        with pytest.raises(RuntimeError):
            model(batch)
    (finding,) = [f for f in w.report.findings if f.code == "LC301"]
    assert "batch" in finding.message and "cuda" in finding.message


def test_clip_before_unscale_on_cuda_is_lc111_without_a_sync():
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    xs, ys = torch.randn(3, 16, 8, device="cuda"), torch.randint(0, 3, (3, 16), device="cuda")
    with loopcheck.watch(model, opt, quiet=True) as w:
        scaler = torch.amp.GradScaler("cuda")  # built inside: known from the first clip on
        for i in range(3):
            opt.zero_grad(set_to_none=True)
            with torch.autocast("cuda", dtype=torch.float16):
                loss = nn.functional.cross_entropy(model(xs[i]), ys[i])
            torch.cuda.set_sync_debug_mode("error")
            try:
                scaler.scale(loss).backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            finally:
                torch.cuda.set_sync_debug_mode("default")
            scaler.step(opt)  # reads found_inf: torch's own sync
            scaler.update()
    assert codes(w) == {"LC111"}
    (finding,) = w.report.findings
    assert finding.count == 3
