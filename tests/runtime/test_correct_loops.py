"""Correct loops produce no finding, and the summary describes what they did."""
import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

import loopcheck  # noqa: E402
from runtime_helpers import LOSS, codes, data, gan, mlp  # noqa: E402


def train_and_validate(model, opt, epochs=2):
    for _ in range(epochs):
        model.train()
        for x, y in data(4):
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            for x, _ in data(2):
                model(x)


def test_classic_loop_and_summary():
    model = mlp(bn=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        train_and_validate(model, opt)
    assert codes(w) == set()
    summary = w.report.summary
    assert summary["steps"] == 8
    assert summary["optimizers"]["opt"]["backward_per_step"] == "1 backward pass per step"
    forwards = summary["models"]["model"]["forwards"]
    assert forwards == {"training (train mode + grad)": 8, "evaluation (eval mode + no grad)": 4}
    assert summary["models"]["model"]["dropout_active"] == {"training": ["3 (Dropout)"]}
    assert summary["models"]["model"]["batchnorm_updated_in_evaluation"] == []
    assert summary["devices"] == ["cpu"]
    assert summary["optimizers"]["opt"]["lr_first_step"] == [0.1]
    text = str(w.report)
    assert "no problems" in text and "1 backward pass per step" in text


def test_gradient_accumulation_is_made_visible():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for i, (x, y) in enumerate(data(8)):
            (LOSS(model(x), y) / 4).backward()
            if i % 4 == 3:
                opt.step()
                opt.zero_grad()
    assert codes(w) == set()
    assert w.report.summary["optimizers"]["opt"]["backward_per_step"] == \
        "4 backward passes per step (gradient accumulation)"


def test_gan_two_optimizers():
    netG, netD, optG, optD = gan()
    bce = nn.BCEWithLogitsLoss()
    real = torch.randn(8, 2)
    with loopcheck.watch([netG, netD], [optG, optD], quiet=True) as w:
        for _ in range(4):
            netD.zero_grad()
            fake = netG(torch.randn(8, 4))
            loss_d = bce(netD(real), torch.ones(8, 1)) + bce(netD(fake.detach()), torch.zeros(8, 1))
            loss_d.backward()
            optD.step()
            netG.zero_grad()
            bce(netD(fake), torch.ones(8, 1)).backward()
            optG.step()
        netG.eval()
        with torch.no_grad():
            netG(torch.randn(4, 4))
    assert codes(w) == set(), [(f.code, f.line, f.message) for f in w.report.findings]
    assert set(w.report.summary["optimizers"]) == {"optG", "optD"}


def test_lbfgs_closure():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    opt = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=4)
    x, y = torch.randn(16, 4), torch.randn(16, 1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for _ in range(3):
            def closure():
                opt.zero_grad()
                loss = nn.functional.mse_loss(model(x), y)
                loss.backward()
                return loss
            opt.step(closure)
    assert codes(w) == set()
    per_step = w.report.summary["optimizers"]["opt"]["backward_per_step"]
    assert "closure calls inside step()" in per_step


@pytest.mark.parametrize("enabled", [False, True])
def test_grad_scaler_on_cpu(enabled):
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        scaler = torch.amp.GradScaler("cpu", enabled=enabled)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)
        for x, y in data(4):
            opt.zero_grad()
            scaler.scale(LOSS(model(x), y)).backward()
            scaler.step(opt)
            scaler.update()
            sched.step()
    assert codes(w) == set()
    summary = w.report.summary
    assert summary["steps"] == 4  # scaler.step counted once, not again for the inner optimizer.step
    assert summary["schedulers"]["sched"]["steps"] == 4
    assert summary["grad_scalers"]["scaler"]["enabled"] is enabled


def test_grad_scaler_skipping_a_step_is_still_a_step():
    """inf gradients: scaler.step skips optimizer.step(); the scheduler after it is not LC104
    (torch's own warning gets this wrong, pytorch/pytorch#44511) and nothing is LC105."""
    import warnings

    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with loopcheck.watch(model, opt, quiet=True) as w:
            scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 8)
            sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1)
            for i, (x, y) in enumerate(data(4)):
                opt.zero_grad()
                scaler.scale(LOSS(model(x), y)).backward()
                if i == 0:
                    model[0].weight.grad[0, 0] = float("inf")
                scaler.step(opt)
                scaler.update()
                sched.step()
    assert codes(w) == set()
    assert w.report.summary["optimizers"]["opt"]["scaler_skipped_steps"] == 1
    assert w.report.summary["optimizers"]["opt"]["steps"] == 4


def test_grad_none_and_model_zero_grad_clearing():
    model = mlp()
    with loopcheck.watch(model, quiet=True) as w:
        opt = torch.optim.SGD(model.parameters(), lr=0.05)
        for x, y in data(4):
            for p in model.parameters():
                p.grad = None
            LOSS(model(x), y).backward()
            opt.step()
        finetune = torch.optim.Adam(model.parameters(), lr=1e-3)
        for x, y in data(4):
            model.zero_grad()
            LOSS(model(x), y).backward()
            finetune.step()
    assert codes(w) == set()


def test_frozen_batchnorm_and_frozen_params():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 3))
    model[1].requires_grad_(False)
    model[0].requires_grad_(False)  # a frozen backbone, still handed to the optimizer
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for epoch in range(2):
            model.train()
            model[1].eval()  # frozen BatchNorm statistics
            for x, y in data(3):
                opt.zero_grad()
                LOSS(model(x), y).backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                model(data(1)[0][0])
    assert codes(w) == set()


def test_two_losses_one_step_and_clip():
    model = mlp()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=10)
    with loopcheck.watch(model, opt, quiet=True) as w:
        w.watch_scheduler(sched)
        for x, y in data(4):
            opt.zero_grad()
            out = model(x)
            loss = LOSS(out, y) + 0.1 * out.pow(2).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
    assert codes(w) == set()
    lr = w.report.summary["optimizers"]["opt"]
    assert lr["lr_first_step"] != lr["lr_last_step"]


def test_ddp_no_sync_accumulation_is_intended(tmp_path, monkeypatch):
    import sys

    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel as DDP

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # init_process_group replaces it: [rank0] prefix
    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'store'}", rank=0, world_size=1)
    try:
        model = DDP(mlp(dropout=False))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        with loopcheck.watch(model, opt, quiet=True) as w:
            batches = data(8)
            for i in range(0, 8, 4):
                opt.zero_grad()
                with model.no_sync():
                    for x, y in batches[i:i + 3]:
                        LOSS(model(x), y).backward()
                x, y = batches[i + 3]
                LOSS(model(x), y).backward()
                opt.step()
    finally:
        dist.destroy_process_group()
    assert codes(w) == set()
    summary = w.report.summary
    assert summary["backward_passes_in_no_sync"] == 6
    assert "inside DDP.no_sync(), intended" in summary["optimizers"]["opt"]["backward_per_step"]
