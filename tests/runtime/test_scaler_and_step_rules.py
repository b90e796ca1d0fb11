"""LC111 clip-before-unscale, LC112 scaler-update-missing and LC115 backward-without-step at
runtime: each on a small buggy loop at the user's line, and silent on the look-alikes (an
enabled CPU GradScaler, `torch.amp.GradScaler("cpu")`, stands in for AMP on a GPU)."""
import pytest

torch = pytest.importorskip("torch")

import warnings  # noqa: E402

from torch import nn  # noqa: E402

import loopcheck  # noqa: E402
from runtime_helpers import LOSS, assert_reported, codes, data, found, mlp  # noqa: E402

HERE = __file__


def _amp_step(model, opt, scaler, x, y, clip=None, unscale=False):
    opt.zero_grad()
    scaler.scale(LOSS(model(x), y)).backward()
    if unscale:
        scaler.unscale_(opt)
    if clip is not None:
        clip(model.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()


# ---- LC111 ---------------------------------------------------------------------------------

def test_lc111_clip_before_unscale_counted_per_iteration():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        scaler = torch.amp.GradScaler("cpu")
        for x, y in data(4):
            opt.zero_grad()
            scaler.scale(LOSS(model(x), y)).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # <LC111>
            scaler.step(opt)
            scaler.update()
    assert_reported(w, "LC111", HERE, "LC111")
    (finding,) = found(w, "LC111")
    assert finding.count == 4
    assert "clip_grad_norm_()" in finding.message and "scaler.step(opt)" in finding.message
    assert finding.fix == "call scaler.unscale_(optimizer) right before clipping"
    assert codes(w) == {"LC111"}


def test_lc111_clip_value_imported_from_clip_grad_and_a_scaler_built_before_watch():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    with loopcheck.watch(model, opt, quiet=True) as w:
        from torch.nn.utils.clip_grad import clip_grad_value_

        for x, y in data(4):
            opt.zero_grad()
            scaler.scale(LOSS(model(x), y)).backward()
            clip_grad_value_(parameters=list(model.parameters()), clip_value=0.5)  # <LC111-value>
            scaler.step(opt)
            scaler.update()
    assert_reported(w, "LC111", HERE, "LC111-value")
    (finding,) = found(w, "LC111")
    assert finding.count == 3  # the scaler is known from its first step on
    # imported by name inside the block: the wrapper outlives it and passes calls through
    grads = [p.grad.clone() for p in model.parameters()]
    clip_grad_value_(model.parameters(), 0.01)
    assert all(torch.equal(g.clamp(-0.01, 0.01), p.grad) for g, p in zip(grads, model.parameters()))


@pytest.mark.parametrize("case", ["unscaled_first", "disabled_scaler", "cuda_scaler_on_cpu", "no_scaler",
                                  "clip_before_backward", "other_optimizer"])
def test_lc111_silent_on_look_alikes(case):
    if case == "cuda_scaler_on_cpu" and torch.cuda.is_available():
        pytest.skip("a CUDA scaler is enabled on a machine with CUDA")
    model, other = mlp(), mlp(seed=1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    other_opt = torch.optim.SGD(other.parameters(), lr=0.1)
    clip = torch.nn.utils.clip_grad_norm_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "GradScaler is enabled, but CUDA is not available"
        with loopcheck.watch([model, other], [opt, other_opt], quiet=True) as w:
            scaler = {"disabled_scaler": torch.amp.GradScaler("cpu", enabled=False),
                      "cuda_scaler_on_cpu": torch.amp.GradScaler("cuda")}.get(case, torch.amp.GradScaler("cpu"))
            for x, y in data(4):
                if case == "no_scaler":
                    opt.zero_grad()
                    LOSS(model(x), y).backward()
                    clip(model.parameters(), 1.0)
                    opt.step()
                elif case == "clip_before_backward":
                    opt.zero_grad()
                    clip(model.parameters(), 1.0)
                    scaler.scale(LOSS(model(x), y)).backward()
                    scaler.step(opt)
                    scaler.update()
                elif case == "other_optimizer":  # a plain model clipped next to an AMP one
                    other_opt.zero_grad()
                    LOSS(other(x), y).backward()
                    clip(other.parameters(), 1.0)
                    other_opt.step()
                    _amp_step(model, opt, scaler, x, y)
                else:
                    _amp_step(model, opt, scaler, x, y, clip, unscale=case == "unscaled_first")
    assert codes(w) == set()


def test_lc111_a_plain_phase_before_an_amp_phase_is_not_blamed():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        scaler = torch.amp.GradScaler("cpu")
        for x, y in data(2):
            opt.zero_grad()
            LOSS(model(x), y).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        for x, y in data(2):
            _amp_step(model, opt, scaler, x, y, torch.nn.utils.clip_grad_norm_, unscale=True)
    assert codes(w) == set()


_UNSCALE, _UPDATE = torch.amp.GradScaler.unscale_, torch.amp.GradScaler.update  # torch's own


class OwnScaler(torch.amp.GradScaler):
    """Overrides unscale_() and update() without calling GradScaler's, as FSDP's
    ShardedGradScaler does."""

    def unscale_(self, optimizer):
        _UNSCALE(self, optimizer)

    def update(self, new_scale=None):
        _UPDATE(self, new_scale)


@pytest.mark.parametrize("built", ["before", "inside"])
def test_lc111_lc112_silent_for_a_scaler_subclass_with_its_own_unscale_and_update(built):
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = OwnScaler("cpu") if built == "before" else None
    with loopcheck.watch(model, opt, quiet=True) as w:
        scaler = scaler or OwnScaler("cpu")
        for x, y in data(4):
            _amp_step(model, opt, scaler, x, y, torch.nn.utils.clip_grad_norm_, unscale=True)
    assert codes(w) == set()
    assert vars(OwnScaler)["update"].__qualname__ == "OwnScaler.update"
    assert not hasattr(vars(OwnScaler)["update"], "__wrapped__")


# ---- LC112 ---------------------------------------------------------------------------------

def test_lc112_second_step_without_update_reported_before_torch_raises():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(RuntimeError, match="since the last update"):
        with loopcheck.watch(model, opt, quiet=True) as w:
            scaler = torch.amp.GradScaler("cpu")
            for x, y in data(3):
                opt.zero_grad()
                scaler.scale(LOSS(model(x), y)).backward()
                scaler.step(opt)  # <LC112>
    assert_reported(w, "LC112", HERE, "LC112")
    (finding,) = found(w, "LC112")
    assert finding.count == 1 and "scaler.step(opt)" in finding.message and "scaler.update()" in finding.message


def test_lc112_unscale_after_a_step_without_update_reported_at_the_step():
    """With clipping, the next iteration's unscale_() is where torch raises ("unscale_() is
    being called after step()"); the finding names the step that update() should follow."""
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(RuntimeError, match="after step"):
        with loopcheck.watch(model, opt, quiet=True) as w:
            scaler = torch.amp.GradScaler("cpu")
            for x, y in data(3):
                opt.zero_grad()
                scaler.scale(LOSS(model(x), y)).backward()
                scaler.unscale_(opt)
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                scaler.step(opt)  # <LC112-unscale>
    assert_reported(w, "LC112", HERE, "LC112-unscale")
    assert codes(w) == {"LC112"}


def test_lc112_one_step_and_a_normal_end_without_update():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = data(1)[0]
    with loopcheck.watch(model, opt, quiet=True) as w:
        scaler = torch.amp.GradScaler("cpu")
        opt.zero_grad()
        scaler.scale(LOSS(model(x), y)).backward()
        scaler.step(opt)  # <LC112-end>
    assert_reported(w, "LC112", HERE, "LC112-end")


@pytest.mark.parametrize("case", ["two_optimizers_one_update", "disabled_scaler", "ended_by_an_error"])
def test_lc112_silent_on_look_alikes(case):
    model, other = mlp(), mlp(seed=1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    other_opt = torch.optim.SGD(other.parameters(), lr=0.1)
    with pytest.raises(ValueError) if case == "ended_by_an_error" else warnings.catch_warnings():
        with loopcheck.watch([model, other], [opt, other_opt], quiet=True) as w:
            scaler = torch.amp.GradScaler("cpu", enabled=case != "disabled_scaler")
            for x, y in data(1 if case == "ended_by_an_error" else 3):
                opt.zero_grad()
                other_opt.zero_grad()
                scaler.scale(LOSS(model(x), y) + LOSS(other(x), y)).backward()
                scaler.step(opt)
                if case == "two_optimizers_one_update":
                    scaler.step(other_opt)
                    scaler.update()
            if case == "ended_by_an_error":
                raise ValueError("the run fails before update(): the crash is the report")
    assert codes(w) == set()


# ---- LC115 ---------------------------------------------------------------------------------

def test_lc115_backward_every_batch_and_no_step():
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(5):
            opt.zero_grad()
            loss = LOSS(model(x), y)
            loss.backward()  # <LC115>
        assert codes(w) == set()  # a report while the loop runs concludes nothing
    assert_reported(w, "LC115", HERE, "LC115")
    (finding,) = found(w, "LC115")
    assert finding.count == 1 and "5 backward passes" in finding.message and "opt" in finding.message
    assert codes(w) == {"LC115"}


def test_lc115_optimizer_created_inside_a_discovering_watch():
    with loopcheck.watch(quiet=True, discover=True) as w:
        model = mlp()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in data(4):
            model.zero_grad()
            LOSS(model(x), y).backward()  # <LC115-discovered>
    assert_reported(w, "LC115", HERE, "LC115-discovered")
    del opt


def _saliency(model, opt):
    model.eval()
    for x, y in data(4):
        x.requires_grad_(True)
        model.zero_grad()
        LOSS(model(x), y).backward()


def _manual_sgd(model, opt):
    for x, y in data(4):
        opt.zero_grad()
        LOSS(model(x), y).backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad


def _two_backward_passes(model, opt):
    for x, y in data(2):
        opt.zero_grad()
        LOSS(model(x), y).backward()


def _accumulation_then_step(model, opt):
    for i, (x, y) in enumerate(data(8)):
        LOSS(model(x), y).backward()
        if i % 4 == 3:
            opt.step()
            opt.zero_grad()


def _input_gradients_of_a_frozen_model(model, opt):
    model.requires_grad_(False)
    for x, y in data(4):
        x.requires_grad_(True)
        LOSS(model(x), y).backward()


@pytest.mark.parametrize("loop", [_saliency, _manual_sgd, _two_backward_passes, _accumulation_then_step,
                                  _input_gradients_of_a_frozen_model], ids=lambda f: f.__name__.strip("_"))
def test_lc115_silent_on_look_alikes(loop):
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        loop(model, opt)
    assert "LC115" not in codes(w)


def test_lc115_silent_without_an_optimizer_and_when_the_run_fails():
    model = mlp()
    with loopcheck.watch(model, quiet=True, discover=True) as w:
        for x, y in data(4):  # a gradient penalty / saliency map: no optimizer at all
            LOSS(model(x), y).backward()
    assert codes(w) == set()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError):
        with loopcheck.watch(model, opt, quiet=True) as w:
            for x, y in data(4):
                opt.zero_grad()
                LOSS(model(x), y).backward()
            raise ValueError("crashed before its first step: the crash is the report")
    assert codes(w) == set()
