"""Every runtime rule fires on a small buggy loop, at the user's line, once per site with a count."""
import pytest

torch = pytest.importorskip("torch")

import warnings  # noqa: E402

from torch import nn  # noqa: E402

import loopcheck  # noqa: E402
from runtime_helpers import LOSS, assert_reported, codes, data, found, mlp  # noqa: E402

HERE = __file__


def test_lc101_missing_zero_grad_counted_once_per_site():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(6):
            loss = LOSS(model(x), y)
            loss.backward()
            opt.step()  # <LC101>
    assert_reported(w, "LC101", HERE, "LC101")
    (finding,) = found(w, "LC101")
    assert finding.count == 5  # every step after the first
    assert "opt.zero_grad()" in finding.message
    assert codes(w) == {"LC101"}


def test_lc102_zero_grad_between_backward_and_step():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data():
            loss = LOSS(model(x), y)
            loss.backward()
            opt.zero_grad()  # <LC102>
            opt.step()
    assert_reported(w, "LC102", HERE, "LC102")
    assert codes(w) == {"LC102"}


def test_lc102_inferred_from_grad_set_to_none():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data():
            LOSS(model(x), y).backward()
            for p in model.parameters():
                p.grad = None
            opt.step()  # <LC102-inferred>
    # The clear has no hook: it is detected (gradients gone) at the next observed call.
    assert_reported(w, "LC102", HERE, "LC102-inferred")


def test_lc103_step_before_backward():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data():
            opt.zero_grad()
            opt.step()  # <LC103>
            LOSS(model(x), y).backward()
    assert_reported(w, "LC103", HERE, "LC103")


def test_lc104_scheduler_before_optimizer():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's own scheduler-order warning
        with loopcheck.watch(model, opt, quiet=True) as w:
            w.watch_scheduler(sched)
            for x, y in data():
                opt.zero_grad()
                LOSS(model(x), y).backward()
                sched.step()  # <LC104>
                opt.step()
    assert_reported(w, "LC104", HERE, "LC104")


def test_lc104_scheduler_created_inside_is_observed():
    model = mlp()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with loopcheck.watch(model, quiet=True) as w:
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 0.9 ** e)
            for x, y in data():
                sched.step()  # <LC104-inside>
                opt.zero_grad()
                LOSS(model(x), y).backward()
                opt.step()
    assert_reported(w, "LC104", HERE, "LC104-inside")


def test_lc105_accumulation_discarded():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for i, (x, y) in enumerate(data(8)):
            opt.zero_grad()  # <LC105>
            LOSS(model(x), y).backward()
            if i % 4 == 3:
                opt.step()
    assert_reported(w, "LC105", HERE, "LC105")
    assert codes(w) == {"LC105"}


def test_lc106_backward_under_no_grad_reported_before_torch_raises():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = data(1)[0]
    with loopcheck.watch(model, opt, quiet=True) as w:
        with torch.no_grad():
            loss = LOSS(model(x), y)
        with pytest.raises(RuntimeError, match="does not require grad"):
            loss.backward()  # <LC106>
    assert_reported(w, "LC106", HERE, "LC106")


@pytest.mark.parametrize("how", ["detach", "inference_mode", "autograd_backward"])
def test_lc106_variants(how):
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = data(1)[0]
    with loopcheck.watch(model, opt, quiet=True) as w:
        if how == "inference_mode":
            with torch.inference_mode():
                loss = LOSS(model(x), y)
        else:
            loss = LOSS(model(x), y).detach()
        with pytest.raises(RuntimeError):
            if how == "autograd_backward":
                torch.autograd.backward([loss])
            else:
                loss.backward()
    (finding,) = found(w, "LC106")
    if how == "inference_mode":
        assert "inference_mode" in finding.message


def test_lc107_optimizer_in_loop():
    model = mlp()
    with loopcheck.watch(model, quiet=True) as w:
        for x, y in data():
            opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # <LC107>
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
    assert_reported(w, "LC107", HERE, "LC107")


def test_lc107_plain_sgd_has_no_state_to_lose_unless_a_schedule_runs_on_it():
    model = mlp()
    with loopcheck.watch(model, quiet=True) as w:
        for x, y in data():
            opt = torch.optim.SGD(model.parameters(), lr=0.1)   # no momentum: no state
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
    assert "LC107" not in codes(w)
    with loopcheck.watch(model, quiet=True) as w:
        for x, y in data():
            opt = torch.optim.SGD(model.parameters(), lr=0.1)  # <LC107-schedule>
            schedule = torch.optim.lr_scheduler.StepLR(opt, step_size=2)
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
            schedule.step()
    assert_reported(w, "LC107", HERE, "LC107-schedule")


def test_lc107_silent_for_one_optimizer_per_stage():
    model = mlp()
    with loopcheck.watch(model, quiet=True) as w:
        for stage in range(2):
            opt = torch.optim.SGD(model.parameters(), lr=0.1 / (stage + 1))
            for x, y in data(4):
                opt.zero_grad()
                LOSS(model(x), y).backward()
                opt.step()
    assert codes(w) == set()


def test_lc201_evaluation_in_train_mode_names_the_modules():
    model = mlp(bn=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(3):
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
        with torch.no_grad():
            for x, _ in data(2):
                model(x)  # <LC201>
    assert_reported(w, "LC201", HERE, "LC201")
    (finding,) = found(w, "LC201")
    assert finding.count == 2
    assert "Dropout" in finding.message and "1" in finding.message  # `1 (BatchNorm1d)`, `3 (Dropout)`
    bn = w.report.summary["models"]["model"]["batchnorm_updated_in_evaluation"]
    assert bn == ["1 (BatchNorm1d)"]


def test_lc202_evaluation_with_grad():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(3):
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
        model.eval()
        for x, _ in data(2):
            model(x)  # <LC202>
        model.train()
    assert_reported(w, "LC202", HERE, "LC202")
    assert codes(w) == {"LC202"}


def test_lc203_train_mode_not_restored():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for epoch in range(2):
            for x, y in data(3):
                opt.zero_grad()
                LOSS(model(x), y).backward()  # <LC203>
                opt.step()
            model.eval()
            with torch.no_grad():
                for x, _ in data(2):
                    model(x)
    assert_reported(w, "LC203", HERE, "LC203")


def test_lc301_batch_on_another_device_reported_before_torch_raises():
    model = nn.Linear(8, 3).to("meta")  # parameters on another device than the batch
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    batch = torch.randn(4, 8)
    with loopcheck.watch(model, opt, quiet=True) as w:
        with pytest.raises(RuntimeError):
            model(batch)  # <LC301>
    assert_reported(w, "LC301", HERE, "LC301")
    (finding,) = found(w, "LC301")
    assert "batch" in finding.message and "meta" in finding.message


def test_lc301_device_audit_on_cpu():
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.randn(16, 8), torch.randint(0, 3, (16,))), batch_size=4)
    with loopcheck.watch(quiet=True, device_audit=True, discover=True) as w:
        model = mlp().to("cpu")
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for inputs, targets in loader:
            opt.zero_grad()
            loss = LOSS(model(inputs), targets.to("cpu"))  # <LC301-audit>
            loss.backward()
            opt.step()
    assert_reported(w, "LC301", HERE, "LC301-audit")


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.body = nn.Linear(8, 16)
        self.head = nn.Linear(16, 3)
        self.aux = nn.Linear(16, 3)

    def forward(self, x):
        h = torch.relu(self.body(x))
        return self.head(h) + self.aux(h)


def test_lc501_params_not_in_optimizer():
    model = TwoHeads()
    opt = torch.optim.SGD(list(model.body.parameters()) + list(model.head.parameters()), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data():
            opt.zero_grad()
            loss = LOSS(model(x), y)
            loss.backward()  # <LC501>
            opt.step()
    assert_reported(w, "LC501", HERE, "LC501")
    (finding,) = found(w, "LC501")
    assert "model.aux.weight" in finding.message and "model.aux.bias" in finding.message


def test_lc502_params_without_grad_and_frozen_params_are_fine():
    model = TwoHeads()
    model.body.requires_grad_(False)  # frozen on purpose: never LC502
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data():
            opt.zero_grad()
            LOSS(model.head(torch.relu(model.body(x))), y).backward()  # aux never used
            opt.step()  # <LC502>
    assert_reported(w, "LC502", HERE, "LC502")
    (finding,) = found(w, "LC502")
    assert "model.aux.weight" in finding.message and "body" not in finding.message
