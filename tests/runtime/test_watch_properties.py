"""The non-negotiable properties: bit-identical training, nothing left behind, no tensor kept
alive, never breaking the loop; plus strict/quiet, nesting and torch.compile."""
import pytest

torch = pytest.importorskip("torch")

import gc  # noqa: E402
import weakref  # noqa: E402

from torch import nn  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402
from torch.utils.data.distributed import DistributedSampler  # noqa: E402

import loopcheck  # noqa: E402
from loopcheck.runtime.observer import Observer  # noqa: E402
from loopcheck.runtime.watch import LoopError, Watcher  # noqa: E402
from runtime_helpers import LOSS, codes, data, mlp  # noqa: E402


def _train(watched: bool, quiet: bool = True):
    model = mlp(bn=True, seed=3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 4)
    losses = []
    torch.manual_seed(123)  # the Dropout masks
    watcher = loopcheck.watch(model, opt, quiet=quiet) if watched else None
    if watcher is not None:
        watcher.__enter__()
    try:
        for epoch in range(2):
            model.train()
            for x, y in data(5):
                opt.zero_grad()
                loss = LOSS(model(x), y)
                scaler.scale(loss).backward()
                scaler.unscale_(opt)
                torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)  # a generator, as users pass it
                scaler.step(opt)
                scaler.update()
                losses.append(loss.detach().clone())
            sched.step()
            model.eval()
            with torch.no_grad():
                losses.append(LOSS(model(data(1)[0][0]), data(1)[0][1]))
    finally:
        if watcher is not None:
            watcher.__exit__(None, None, None)
    return model, opt, losses


def test_bit_identical_training_with_and_without_watch():
    model_a, opt_a, losses_a = _train(watched=False)
    model_b, opt_b, losses_b = _train(watched=True)
    for (name, a), b in zip(model_a.state_dict().items(), model_b.state_dict().values()):
        assert torch.equal(a, b), name
    assert len(losses_a) == len(losses_b)
    assert all(torch.equal(a, b) for a, b in zip(losses_a, losses_b))
    state_a, state_b = opt_a.state_dict(), opt_b.state_dict()
    assert state_a["param_groups"] == state_b["param_groups"]
    for key, value in state_a["state"].items():
        for field, tensor in value.items():
            assert torch.equal(tensor, state_b["state"][key][field]), (key, field)


def _originals():
    from torch.nn.utils import clip_grad
    from torch.optim import lr_scheduler, optimizer as optimizer_module

    return {
        "Tensor.backward": torch.Tensor.__dict__.get("backward"),
        "autograd.backward": torch.autograd.backward,
        "Optimizer.zero_grad": torch.optim.Optimizer.__dict__["zero_grad"],
        "Optimizer.__init__": torch.optim.Optimizer.__dict__["__init__"],
        "Module.zero_grad": nn.Module.__dict__["zero_grad"],
        "Module.train": nn.Module.__dict__["train"],
        "Module.__call__": nn.Module.__dict__["__call__"],
        "Module.to": nn.Module.__dict__["to"],
        "Tensor.to": torch.Tensor.__dict__.get("to"),
        "LRScheduler.__init__": lr_scheduler.LRScheduler.__dict__["__init__"],
        "ReduceLROnPlateau.__init__": lr_scheduler.ReduceLROnPlateau.__dict__["__init__"],
        "GradScaler.step": torch.amp.GradScaler.__dict__["step"],
        "GradScaler.__init__": torch.amp.GradScaler.__dict__["__init__"],
        "GradScaler.unscale_": torch.amp.GradScaler.__dict__["unscale_"],
        "GradScaler.update": torch.amp.GradScaler.__dict__["update"],
        "clip functions": [vars(module)[name] for module in (torch.nn.utils, clip_grad)
                           for name in ("clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_")
                           if name in vars(module)],
        "LRScheduler.step": lr_scheduler.LRScheduler.__dict__["step"],
        "ReduceLROnPlateau.step": lr_scheduler.ReduceLROnPlateau.__dict__["step"],
        "functional.dropout": torch.nn.functional.dropout,
        "DataLoader.__iter__": DataLoader.__dict__["__iter__"],
        "DistributedSampler.__iter__": DistributedSampler.__dict__["__iter__"],
        "global step hooks": (len(optimizer_module._global_optimizer_pre_hooks),
                              len(optimizer_module._global_optimizer_post_hooks)),
    }


def _attached(*objects):
    """What the watcher could have attached to the user's objects: their hook dicts and __dict__ keys."""
    out = []
    for obj in objects:
        hooks = {k: dict(v) for k, v in vars(obj).items() if k.endswith("_hooks") and isinstance(v, dict)}
        out.append((sorted(vars(obj)), hooks))
    return out


def _assert_clean(before, model, opt, sched):
    assert _originals() == before
    assert torch.Tensor.backward is before["Tensor.backward"]
    assert not model._forward_pre_hooks and not model._forward_hooks
    assert not opt._optimizer_step_pre_hooks and not opt._optimizer_step_post_hooks
    assert "step" not in sched.__dict__


@pytest.mark.parametrize("ending", ["normal", "exception", "keyboard_interrupt"])
def test_everything_removed_on_exit(ending):
    before = _originals()
    model = mlp(bn=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1)
    error = {"normal": None, "exception": ValueError("boom"), "keyboard_interrupt": KeyboardInterrupt()}[ending]
    watcher = Watcher(model, opt, quiet=True, discover=True, device_audit=True)
    watcher.watch_scheduler(sched)
    opt.step()  # torch's own first-step attributes (`_opt_called`) come before the snapshot
    sched.step()
    attached = _attached(model, opt, sched)
    with pytest.raises(type(error)) if error else _nothing():
        with watcher:
            inner_opt = torch.optim.Adam(model.parameters())
            for x, y in data(2):
                opt.zero_grad()
                LOSS(model(x), y).backward()
                opt.step()
                sched.step()
            assert _originals() != before  # installed, but on torch's classes only
            assert _attached(model, opt, sched) == attached
            if error:
                raise error
    _assert_clean(before, model, opt, sched)
    assert not inner_opt._optimizer_step_pre_hooks
    assert watcher.report.summary["steps"] == 2  # the report survives the exception


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_no_tensor_kept_alive():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        scaler = torch.amp.GradScaler("cpu")
        for x, y in data(3):
            opt.zero_grad()
            loss = LOSS(model(x), y)
            scaler.scale(loss).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # LC111, recorded by location
            scaler.step(opt)
            scaler.update()
        loss_ref = weakref.ref(loss)
        batch_ref = weakref.ref(x)
        del loss, x
        gc.collect()
        assert loss_ref() is None and batch_ref() is None
    model_ref, param_ref = weakref.ref(model), weakref.ref(next(model.parameters()))
    del model, opt
    gc.collect()
    assert model_ref() is None and param_ref() is None  # the report keeps no model or parameter
    assert w.report.summary["steps"] == 3
    assert codes(w) == {"LC111"}


def test_strict_raises_loop_error():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(LoopError) as info:
        with loopcheck.watch(model, opt, strict=True, quiet=True):
            for x, y in data(3):
                LOSS(model(x), y).backward()
                opt.step()
    assert [f.code for f in info.value.report.errors] == ["LC101"]
    assert "LC101" in str(info.value)
    assert loopcheck.LoopError is LoopError


def test_strict_is_silent_on_a_correct_loop_and_never_masks_the_users_error():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, strict=True, quiet=True):
        for x, y in data(2):
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
    with pytest.raises(ZeroDivisionError):
        with loopcheck.watch(model, opt, strict=True, quiet=True):
            for x, y in data(2):
                LOSS(model(x), y).backward()
                opt.step()
            1 / 0


def test_quiet_prints_nothing_and_default_prints_the_report(capsys):
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True):
        for x, y in data(2):
            LOSS(model(x), y).backward()
            opt.step()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    with loopcheck.watch(model, opt):
        for x, y in data(2):
            LOSS(model(x), y).backward()
            opt.step()
    err = capsys.readouterr().err
    assert "LC101" in err and "what the loop did" in err


def test_internal_error_is_reported_once_and_swallowed(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("loopcheck bug")

    monkeypatch.setattr(Observer, "forward_pre", broken)
    monkeypatch.setattr(Observer, "step_pre", broken)
    model_a, opt_a, losses_a = _train(watched=False)
    with pytest.warns(RuntimeWarning, match="internal error") as record:
        model_b, opt_b, losses_b = _train(watched=True, quiet=False)
    assert len([r for r in record if "internal error" in str(r.message)]) == 1
    assert all(torch.equal(a, b) for a, b in zip(losses_a, losses_b))
    for a, b in zip(model_a.parameters(), model_b.parameters()):
        assert torch.equal(a, b)


def test_internal_error_note_in_summary(monkeypatch):
    monkeypatch.setattr(Observer, "step_post", lambda *a: 1 / 0)
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(2):
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
    assert any("internal error" in note for note in w.report.summary["notes"])


def test_nested_watch_joins_the_outer_one():
    # a script that uses watch() itself, run by `loopcheck run`
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = _originals()
    with loopcheck.watch(quiet=True) as outer:
        with loopcheck.watch(model, opt, quiet=True) as inner:
            for x, y in data(2):
                opt.zero_grad()
                LOSS(model(x), y).backward()
                opt.step()
        assert inner.report.summary["steps"] == 2 and not inner.report.findings
        assert _originals() != before          # the outer one is still installed
        for x, y in data(1):
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
    assert _originals() == before
    assert outer.report.summary["steps"] == 3
    assert outer.report.summary["optimizers"]["opt"]["steps"] == 3    # named as the inner watch() wrote it
    with loopcheck.watch(model, opt, quiet=True) as again:  # usable again afterwards
        pass
    assert again.report.summary["steps"] == 0


def test_live_report_and_watch_model_while_active():
    model = mlp()
    other = mlp(seed=1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, y in data(2):
            opt.zero_grad()
            LOSS(model(x), y).backward()
            opt.step()
        assert w.report.summary["steps"] == 2
        w.watch_model(other)
        other.eval()
        with torch.no_grad():
            other(x)
    assert set(w.report.summary["models"]) == {"model", "other"}
    json = w.report.to_json()
    assert set(json) == {"findings", "summary"}


def test_compiled_model_is_detected_and_observed():
    model = mlp()
    compiled = torch.compile(model, backend="eager")
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(compiled, opt, quiet=True) as w:
        for x, y in data(2):
            opt.zero_grad()
            LOSS(compiled(x), y).backward()
            opt.step()
    summary = w.report.summary
    assert any("torch.compile" in note for note in summary["notes"])
    (entry,) = summary["models"].values()
    assert entry["forwards"] == {"training (train mode + grad)": 2}
    assert codes(w) == set()


def test_folding_gives_the_same_findings_as_the_full_stream(monkeypatch):
    """The recorder folds repeated iterations; the findings and counts must equal those of
    the unfolded stream."""
    from loopcheck.runtime import recorder

    def run():
        model = mlp()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        with loopcheck.watch(model, opt, quiet=True) as w:
            for epoch in range(3):
                for i, (x, y) in enumerate(data(6)):
                    if i % 3 == 0:
                        opt.zero_grad()
                    LOSS(model(x), y).backward()
                    if i % 2 == 1:
                        opt.step()
                with torch.no_grad():
                    for x, _ in data(5):
                        model(x)
        return [(f.code, f.line, f.count) for f in w.report.findings], w.report.summary

    folded, folded_summary = run()
    monkeypatch.setattr(recorder.Recorder.__init__, "__defaults__", (False,))
    full, full_summary = run()
    assert folded == full and folded
    assert folded_summary["models"] == full_summary["models"]
    assert folded_summary["events"]["stored"] < full_summary["events"]["stored"]
