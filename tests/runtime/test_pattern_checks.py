"""The runtime counterparts of pattern rules (LC108, LC109, LC113, LC114): each fires on a small buggy
loop at the user's line, and stays silent on the look-alike correct ones."""
import pytest

torch = pytest.importorskip("torch")

import importlib.util  # noqa: E402
import math  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402
from torch.optim import lr_scheduler  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402
from torch.utils.data.distributed import DistributedSampler  # noqa: E402

import loopcheck  # noqa: E402
from loopcheck.runtime.epoch_schedules import epoch_schedule  # noqa: E402
from runtime_helpers import LOSS, assert_reported, codes, data, found, mlp  # noqa: E402

HERE = __file__


def _dataset(n: int = 32) -> TensorDataset:
    g = torch.Generator().manual_seed(0)
    return TensorDataset(torch.randn(n, 8, generator=g), torch.randint(0, 3, (n,), generator=g))


def _installed_module(tmp_path, source: str):  # noqa: ANN001, ANN202
    """A module whose file lies in a site-packages folder: an installed package's code."""
    path = tmp_path / "site-packages" / "some_framework.py"
    path.parent.mkdir()
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("some_framework", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _train_step(model, opt, x, y):  # noqa: ANN001, ANN202
    opt.zero_grad()
    LOSS(model(x), y).backward()
    opt.step()


# -- LC113 functional-dropout-always-on ---------------------------------------------------------

class _Net(nn.Module):
    """A Linear-ReLU-Linear net whose dropout `style` is the case under test."""

    def __init__(self, style: str) -> None:
        super().__init__()
        self.style = style
        self.hidden = nn.Linear(8, 16)
        self.out = nn.Linear(16, 3)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):  # noqa: ANN001, ANN201
        x = F.relu(self.hidden(x))
        if self.style == "default":
            x = F.dropout(x, 0.5)  # <LC113>
        elif self.style == "follows-mode":
            x = F.dropout(x, 0.5, training=self.training)
        elif self.style == "positional-mode":
            x = F.dropout(x, 0.5, self.training)
        elif self.style == "guarded":
            if self.training:
                x = F.dropout(x, 0.5)
        elif self.style == "p-zero-in-eval":
            x = F.dropout(x, p=0.5 if self.training else 0.0)
        elif self.style == "monte-carlo":
            x = F.dropout(x, 0.5, training=True)
        elif self.style == "alpha":
            x = F.alpha_dropout(x, 0.5)   # training defaults to False: never on in eval
        elif self.style == "layer":
            x = self.dropout(x)
        return self.out(x)


def _train_then_evaluate(model: nn.Module, watched: bool = True):  # noqa: ANN202
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model if watched else [], opt, quiet=True) as w:
        model.train()
        for x, y in data(3):
            _train_step(model, opt, x, y)
        model.eval()
        with torch.no_grad():
            for x, _ in data(2):
                model(x)
    return w


def test_lc113_functional_dropout_on_in_eval_mode():
    w = _train_then_evaluate(_Net("default"))
    assert_reported(w, "LC113", HERE, "LC113")
    (finding,) = found(w, "LC113")
    assert "_Net.forward() in eval mode" in finding.message
    assert codes(w) == {"LC113"}


@pytest.mark.parametrize("style", ["follows-mode", "positional-mode", "guarded", "p-zero-in-eval",
                                   "monte-carlo", "alpha", "layer"])
def test_lc113_silent_on_look_alikes(style):
    assert "LC113" not in codes(_train_then_evaluate(_Net(style)))


def test_lc113_silent_when_the_model_is_never_in_eval_mode():
    model = _Net("default")
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(3):
            _train_step(model, opt, x, y)
    assert not found(w)


def test_lc113_silent_for_a_module_no_watched_model_holds():
    model, other = mlp(), _Net("default").eval()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(3):
            _train_step(model, opt, x, y)
            with torch.no_grad():
                other(x)
    assert "LC113" not in codes(w)


def test_lc113_silent_in_a_plain_function():
    def noisy_features(x):  # noqa: ANN001, ANN202  (the caller decides: no module, no mode)
        return F.dropout(x, 0.5)

    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(3):
            opt.zero_grad()
            LOSS(model(noisy_features(x)), y).backward()
            opt.step()
    assert not found(w)


def test_lc113_silent_in_an_installed_package(tmp_path):
    framework = _installed_module(tmp_path, """
import torch.nn as nn
import torch.nn.functional as F

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(8, 3)

    def forward(self, x):
        return self.linear(F.dropout(x, 0.5))
""")
    assert not found(_train_then_evaluate(framework.Block()))


def test_lc113_dropout_bound_inside_the_block_passes_through_afterwards():
    model = _Net("follows-mode")
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True):
        bound = F.dropout   # `from torch.nn.functional import dropout` in a module imported inside
    assert bound is not F.dropout and F.dropout is bound.__wrapped__
    torch.manual_seed(0)
    a = bound(torch.ones(64), 0.5)
    torch.manual_seed(0)
    assert torch.equal(a, F.dropout(torch.ones(64), 0.5))


# -- LC108 sampler-set-epoch-missing ------------------------------------------------------------

def _distributed_run(set_epoch: bool = False, shuffle: bool = True, epochs: int = 2,
                     train_accuracy_pass: bool = False, train: bool = True, wrap=iter):  # noqa: ANN001, ANN202
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    sampler = DistributedSampler(_dataset(), num_replicas=1, rank=0, shuffle=shuffle)
    loader = DataLoader(_dataset(), batch_size=8, sampler=sampler)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for epoch in range(epochs):
            if set_epoch:
                sampler.set_epoch(epoch)
            model.train()
            for x, y in wrap(loader):  # <LC108>
                if train:
                    _train_step(model, opt, x, y)
            if train_accuracy_pass:
                model.eval()
                with torch.no_grad():
                    for x, _ in loader:
                        model(x)
    return w


def test_lc108_same_order_every_epoch():
    w = _distributed_run()
    assert_reported(w, "LC108", HERE, "LC108")
    (finding,) = found(w, "LC108")
    assert "started at epoch 0" in finding.message
    assert codes(w) == {"LC108"}


def test_lc108_reported_at_the_users_loop_through_an_installed_progress_bar(tmp_path):
    progress = _installed_module(tmp_path, "def tqdm(iterable):\n    yield from iterable\n")
    assert_reported(_distributed_run(wrap=progress.tqdm), "LC108", HERE, "LC108")


@pytest.mark.parametrize("case", [
    dict(set_epoch=True),
    dict(shuffle=False),                                   # a fixed order is meant to repeat
    dict(set_epoch=True, train_accuracy_pass=True),        # a second pass per epoch trains nothing
    dict(epochs=1, train_accuracy_pass=True),              # one epoch: one training pass
    dict(train=False),                                     # never trained on
], ids=["set-epoch", "no-shuffle", "set-epoch-and-accuracy-pass", "one-epoch", "evaluation-only"])
def test_lc108_silent_on_look_alikes(case):
    assert "LC108" not in codes(_distributed_run(**case))


# -- LC114 epoch-scheduler-per-batch ------------------------------------------------------------

def _scheduled_run(make, per_batch: bool = True, epochs: int = 2, batches: int = 8,
                   every: int = 1, endless: bool = False):  # noqa: ANN001, ANN202
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(_dataset(4 * batches), batch_size=4)
    with loopcheck.watch(model, opt, quiet=True) as w:
        sched = make(opt, len(loader), epochs)
        if endless:   # an iteration-based loop: one iterator, never restarted
            batches_in = iter(loader)
            for _ in range(epochs * len(loader) // 2):
                x, y = next(batches_in)
                _train_step(model, opt, x, y)
                sched.step()
            return w
        for _ in range(epochs):
            for i, (x, y) in enumerate(loader):
                _train_step(model, opt, x, y)
                if per_batch and i % every == 0:
                    sched.step()  # <LC114>
            if not per_batch:
                sched.step()
    return w


@pytest.mark.parametrize("make", [
    lambda opt, n, e: lr_scheduler.StepLR(opt, step_size=2, gamma=0.5),
    lambda opt, n, e: lr_scheduler.MultiStepLR(opt, milestones=[2, 5]),
    lambda opt, n, e: lr_scheduler.CosineAnnealingLR(opt, T_max=e),
    lambda opt, n, e: lr_scheduler.ExponentialLR(opt, gamma=0.5),
], ids=["StepLR", "MultiStepLR", "CosineAnnealingLR-epochs", "ExponentialLR"])
def test_lc114_epoch_schedule_stepped_per_batch(make):
    w = _scheduled_run(make)
    assert_reported(w, "LC114", HERE, "LC114")
    (finding,) = found(w, "LC114")
    assert "stepped 8 times in one epoch" in finding.message and "sched is a" in finding.message
    assert codes(w) == {"LC114"}


@pytest.mark.parametrize("make,kwargs", [
    (lambda opt, n, e: lr_scheduler.StepLR(opt, step_size=2), dict(per_batch=False)),
    (lambda opt, n, e: lr_scheduler.CosineAnnealingLR(opt, T_max=n * e), {}),
    (lambda opt, n, e: lr_scheduler.CosineAnnealingLR(opt, T_max=n), {}),
    (lambda opt, n, e: lr_scheduler.StepLR(opt, step_size=30), {}),     # longer than an epoch: unsure
    (lambda opt, n, e: lr_scheduler.MultiStepLR(opt, milestones=[2000, 3000]), {}),
    (lambda opt, n, e: lr_scheduler.ExponentialLR(opt, gamma=0.999), {}),
    (lambda opt, n, e: lr_scheduler.StepLR(opt, step_size=2, gamma=0.999), {}),
    (lambda opt, n, e: lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=n * e), {}),
    (lambda opt, n, e: lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 4)), {}),
    (lambda opt, n, e: lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=2), {}),
    (lambda opt, n, e: lr_scheduler.StepLR(opt, step_size=1), dict(every=4)),   # a step every 4 batches
    (lambda opt, n, e: lr_scheduler.StepLR(opt, step_size=2), dict(epochs=1)),  # no epoch ended
    (lambda opt, n, e: lr_scheduler.StepLR(opt, step_size=2), dict(endless=True)),
], ids=["per-epoch", "T_max-in-steps", "T_max-one-epoch", "step_size-over-an-epoch", "milestones-in-steps",
        "gamma-per-step", "StepLR-gamma-per-step", "OneCycleLR", "LambdaLR-warmup", "CyclicLR",
        "every-4-batches", "one-epoch", "iteration-based"])
def test_lc114_silent_on_look_alikes(make, kwargs):
    assert "LC114" not in codes(_scheduled_run(make, **kwargs))


def test_lc114_silent_when_an_installed_framework_steps_per_batch(tmp_path):
    framework = _installed_module(tmp_path, "def after_optimizer_step(scheduler):\n    scheduler.step()\n")

    def make(opt, n, e):  # noqa: ANN001, ANN202
        scheduler = lr_scheduler.StepLR(opt, step_size=2)
        return type("Stepped", (), {"step": lambda self: framework.after_optimizer_step(scheduler)})()

    assert "LC114" not in codes(_scheduled_run(make))


def test_epoch_schedule_reads_the_static_table():
    opt = torch.optim.SGD(mlp().parameters(), lr=0.1)
    assert epoch_schedule(lr_scheduler.StepLR(opt, step_size=3)) == ("StepLR", 3, "step_size=3")
    assert epoch_schedule(lr_scheduler.MultiStepLR(opt, [5, 2])) == ("MultiStepLR", 5, "milestones=[2, 5]")
    assert epoch_schedule(lr_scheduler.ExponentialLR(opt, 0.9)) == ("ExponentialLR", math.ceil(math.log(0.1) / math.log(0.9)), "gamma=0.9")
    assert epoch_schedule(lr_scheduler.StepLR(opt, step_size=5000)) is None
    assert epoch_schedule(lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10)) is None


# -- LC109 softmax-before-cross-entropy ---------------------------------------------------------

def _classifier_run(loss_of, model=None, no_grad=False):  # noqa: ANN001, ANN202
    """Three training steps whose loss is `loss_of(model output, labels)`."""
    model = model if model is not None else mlp(dropout=False)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(3):
            opt.zero_grad()
            out = model(x)
            if no_grad:
                with torch.no_grad():
                    loss_of(out, y)
                out.sum().backward()
            else:
                loss_of(out, y).backward()
            opt.step()
    return w


_CE, _NLL = nn.CrossEntropyLoss(), nn.NLLLoss()


@pytest.mark.parametrize("loss_of, subject", [
    (lambda out, y: _CE(F.softmax(out, dim=1), y), "CrossEntropyLoss"),
    (lambda out, y: F.cross_entropy(torch.softmax(out, -1), y), "cross_entropy"),
    (lambda out, y: _NLL(out.softmax(1), y), "NLLLoss"),
    (lambda out, y: F.nll_loss(F.softmax(out, 1).view(4, 3).float(), y), "nll_loss"),
], ids=["module-F.softmax", "functional-torch.softmax", "nll-Tensor.softmax", "behind-view-and-cast"])
def test_lc109_softmax_output_given_to_the_loss(loss_of, subject):
    w = _classifier_run(loss_of)
    (finding,) = found(w, "LC109")
    assert subject in finding.message and "seen at runtime" in finding.message
    assert Path(finding.path).name == Path(HERE).name


def test_lc109_model_ending_in_softmax_is_reported_at_the_loss_line():
    model = nn.Sequential(mlp(dropout=False), nn.Softmax(dim=1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(2):
            opt.zero_grad()
            loss = LOSS(model(x), y)  # <LC109>
            loss.backward()
            opt.step()
    assert_reported(w, "LC109", HERE, "LC109")


@pytest.mark.parametrize("loss_of, no_grad", [
    (lambda out, y: LOSS(out, y), False),                                          # logits
    (lambda out, y: F.nll_loss(F.log_softmax(out, 1), y), False),
    (lambda out, y: _NLL(torch.log(F.softmax(out, 1)), y), False),                  # log of probabilities
    (lambda out, y: F.cross_entropy(out, F.softmax(out.detach() * 2, 1)), False),   # soft targets
    (lambda out, y: LOSS(F.softmax(out, 1), y), True),                              # no graph: not judged
], ids=["logits", "log_softmax-nll", "log-of-softmax-nll", "softmax-target", "under-no_grad"])
def test_lc109_silent_on_look_alikes(loss_of, no_grad):
    assert "LC109" not in codes(_classifier_run(loss_of, no_grad=no_grad))


def test_lc109_silent_when_an_installed_package_computes_the_loss(tmp_path):
    framework = _installed_module(tmp_path, (
        "import torch.nn.functional as F\n"
        "def confidence_penalty(out, y):\n    return F.cross_entropy(F.softmax(out, 1), y)\n"))
    assert "LC109" not in codes(_classifier_run(lambda out, y: LOSS(out, y) + framework.confidence_penalty(out, y)))


def test_lc109_wrappers_are_removed_on_exit():
    originals = F.cross_entropy, F.nll_loss
    _classifier_run(lambda out, y: LOSS(out, y))
    assert (F.cross_entropy, F.nll_loss) == originals


def test_lc109_wrappers_keep_torchscript_and_torch_compile_working():
    class Loss(nn.Module):
        def forward(self, logits, target):
            return F.cross_entropy(logits, target) + F.nll_loss(F.log_softmax(logits, 1), target)

    def step(logits, target):  # noqa: ANN001, ANN202
        return F.cross_entropy(torch.softmax(logits, 1), target)

    logits, target = torch.zeros(2, 3, requires_grad=True), torch.tensor([0, 1])
    compiled = torch.compile(step, backend="eager", fullgraph=True)   # fullgraph: a graph break raises
    with loopcheck.watch(quiet=True) as w, warnings.catch_warnings():
        warnings.simplefilter("ignore")   # torch.jit.script is deprecated
        values = [torch.jit.script(Loss())(logits, target), torch.jit.script(nn.CrossEntropyLoss())(logits, target),
                  compiled(logits, target)]
    assert [round(v.item(), 4) for v in values] == [round(2 * math.log(3), 4), round(math.log(3), 4),
                                                    round(math.log(3), 4)]
    assert "LC109" in codes(w)   # the bug is real; the eager backend runs the wrapper (a compiler may not)
