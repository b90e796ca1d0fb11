"""Shapes of real training scripts that the watcher once broke or misread (issue 11): whole-model
checkpoints, scheduler state, EMA deep copies, GANs, layer-wise optimizers, several models
trained one after the other, TorchScript models."""
import pytest

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:FutureWarning")

import copy  # noqa: E402
import io  # noqa: E402
import pickle  # noqa: E402

from torch import nn  # noqa: E402

import loopcheck  # noqa: E402
from loopcheck.runtime.watch import Watcher  # noqa: E402
from runtime_helpers import LOSS, codes, data, gan, mlp  # noqa: E402


def _train(model, opt, batches=3):
    model.train()
    for x, y in data(batches):
        opt.zero_grad()
        LOSS(model(x), y).backward()
        opt.step()


def _hooks(module):
    return [(name, dict(hooks)) for sub in module.modules()
            for name, hooks in vars(sub).items() if name.endswith("_hooks") and hooks]


def test_checkpointing_inside_watch_pickles_only_the_users_objects():
    model = mlp(bn=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        w.watch_scheduler(sched)
        _train(model, opt)
        sched.step()
        whole = io.BytesIO()
        torch.save(model, whole)  # the whole module object, as many scripts checkpoint
        state = {"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict()}
        states = io.BytesIO()
        torch.save(state, states)
        pickle.dumps(opt)
        assert not any(callable(v) for v in sched.state_dict().values())
        scripted = torch.jit.script(model)
        _train(model, opt, 1)
    whole.seek(0)
    states.seek(0)
    loaded = torch.load(whole, weights_only=False)
    assert not _hooks(loaded) and not _hooks(model)
    assert torch.load(states, weights_only=False)["scheduler"]["last_epoch"] == 1
    assert set(scripted.state_dict()) == set(model.state_dict())
    assert w.report.summary["steps"] == 4 and w.report.summary["schedulers"]["sched"]["steps"] == 1
    assert not codes(w)


def test_deep_copy_of_a_watched_model_is_not_the_model():
    # An EMA copy made inside the block and evaluated in eval mode: its forwards are not the
    # model's (whose Dropout would then look active in evaluation), and it keeps nothing after.
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        ema = copy.deepcopy(model)
        ema.eval()
        for epoch in range(2):
            _train(model, opt)
            with torch.no_grad():
                for e, p in zip(ema.parameters(), model.parameters()):
                    e.mul_(0.9).add_(p, alpha=0.1)
                for x, _ in data(2):
                    ema(x)
    summary = w.report.summary["models"]["model"]
    assert summary["forwards"] == {"training (train mode + grad)": 6}
    assert summary["dropout_active"] == {"training": ["2 (Dropout)"]}
    assert vars(ema).keys() == vars(copy.deepcopy(model)).keys() and not _hooks(ema)
    assert not codes(w)


def test_deep_copy_is_its_own_model_under_discovery():
    model = mlp(bn=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with Watcher(quiet=True, discover=True) as w:
        best = None
        for epoch in range(2):
            _train(model, opt)
            best = copy.deepcopy(model)
            best.eval()
            with torch.no_grad():
                best(data(1)[0][0])
    models = w.report.summary["models"]
    assert models["model"]["forwards"] == {"training (train mode + grad)": 6}
    assert sum(m["forwards"].get("evaluation (eval mode + no grad)", 0) for m in models.values()) == 2
    assert not codes(w)


def _dcgan_step(netG, netD, optD, optG, bce, real):
    netD.zero_grad()
    bce(netD(real), torch.ones(8, 1)).backward()
    fake = netG(torch.randn(8, 4))
    bce(netD(fake.detach()), torch.zeros(8, 1)).backward()
    optD.step()
    netG.zero_grad()
    bce(netD(fake), torch.ones(8, 1)).backward()  # also feeds D: cleared before D's next step
    optG.step()


def test_gan_backward_passes_are_counted_per_optimizer_from_its_clear():
    netG, netD, optG, optD = gan()
    bce = nn.BCEWithLogitsLoss()
    with loopcheck.watch([netG, netD], [optG, optD], quiet=True) as w:
        for _ in range(4):
            _dcgan_step(netG, netD, optD, optG, bce, torch.randn(8, 2))
    optimizers = w.report.summary["optimizers"]
    assert optimizers["optD"]["backward_per_step"] == \
        "2 backward passes per step (separate backward() calls, not accumulation)"
    assert optimizers["optG"]["backward_per_step"] == "1 backward pass per step"
    assert "accumulation" not in str(w.report).replace("not accumulation", "")
    assert not codes(w)


def test_accumulation_at_two_sites_is_still_accumulation():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for i, (x, y) in enumerate(data(8)):
            if i % 2 == 0:
                (LOSS(model(x), y) / 2).backward()
            else:
                (LOSS(model(x), y) / 2).backward()
                if i % 4 == 3:
                    opt.step()
                    opt.zero_grad()
    assert w.report.summary["optimizers"]["opt"]["backward_per_step"] == \
        "4 backward passes per step (gradient accumulation)"


def test_one_optimizer_per_layer_built_before_training_is_not_lc107():
    # forward-forward style: each layer owns an optimizer built in its constructor, then the
    # layers are trained one after the other
    class Layer(nn.Linear):
        def __init__(self, n):
            super().__init__(n, n)
            self.opt = torch.optim.Adam(self.parameters(), lr=0.03)

        def fit(self, x):
            for _ in range(3):
                loss = self(x).pow(2).mean()
                self.opt.zero_grad()
                loss.backward()
                self.opt.step()
            return self(x).detach()

    with Watcher(quiet=True, discover=True) as w:
        layers = [Layer(8) for _ in range(3)]
        nets = [mlp(seed=i) for i in range(2)]
        opts = [torch.optim.SGD(net.parameters(), lr=0.1) for net in nets]
        h = torch.randn(4, 8)
        for layer in layers:
            h = layer.fit(h)
        for net, opt in zip(nets, opts):
            _train(net, opt, 2)
    assert "LC107" not in codes(w), [(f.code, f.line, f.message) for f in w.report.findings]
    assert w.report.summary["steps"] == 3 * 3 + 2 * 2


def test_an_optimizer_rebuilt_every_step_is_still_lc107():
    model = mlp()
    with Watcher(quiet=True, discover=True) as w:
        for x, y in data(4):
            opt = torch.optim.Adam(model.parameters())
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
    assert "LC107" in codes(w)


def test_models_evaluated_then_trained_one_after_the_other_are_not_lc203():
    # Several nets in a list: each is trained in turn, then all are evaluated. The backward of
    # the first net's training follows the last net's evaluation: it did not train that net.
    nets = [mlp(bn=True, seed=i) for i in range(2)]
    opts = [torch.optim.SGD(net.parameters(), lr=0.1) for net in nets]
    with loopcheck.watch(nets, opts, quiet=True) as w:
        for epoch in range(3):
            for net, opt in zip(nets, opts):
                _train(net, opt, 2)
            for net in nets:
                net.eval()
                with torch.no_grad():
                    for x, _ in data(2):
                        net(x)
    assert not codes(w), [(f.code, f.line, f.message) for f in w.report.findings]
    for entry in w.report.summary["models"].values():
        assert entry["forwards"] == {"training (train mode + grad)": 6, "evaluation (eval mode + no grad)": 6}


def test_a_model_left_in_eval_mode_is_still_lc203():
    nets = [mlp(bn=True, seed=i) for i in range(2)]
    opts = [torch.optim.SGD(net.parameters(), lr=0.1) for net in nets]
    with loopcheck.watch(nets, opts, quiet=True) as w:
        for net in nets:
            net.train()
        for epoch in range(3):
            for net, opt in zip(nets, opts):
                for x, y in data(2):
                    opt.zero_grad()
                    LOSS(net(x), y).backward()
                    opt.step()
            nets[1].eval()
            with torch.no_grad():
                nets[1](data(1)[0][0])
    assert "LC203" in codes(w)


def test_torchscript_model_forwards_are_observed_and_the_invisible_ones_named():
    torch.manual_seed(0)
    model = torch.jit.script(mlp(bn=True))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for epoch in range(2):
            _train(model, opt, 2)
            model.eval()
            with torch.no_grad():
                model(data(1)[0][0])
    entry = w.report.summary["models"]["model"]
    assert entry["forwards"] == {"training (train mode + grad)": 4, "evaluation (eval mode + no grad)": 2}
    assert entry["dropout_active"] == {"training": ["3 (Dropout)"]}
    assert entry["batchnorm_updated_in_evaluation"] == []
    (note,) = [n for n in w.report.summary["notes"] if "TorchScript" in n]
    assert note.startswith("model is TorchScript") and "invisible" in note
    assert not codes(w)
