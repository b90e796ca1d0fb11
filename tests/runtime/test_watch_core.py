"""The watcher on real loops in-process: findings, silence on correct loops, no trace left behind."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

import loopcheck  # noqa: E402


def make():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(16, 4), torch.randint(0, 2, (16,))
    return model, opt, x, y


def codes(watcher) -> set[str]:
    return {f.code for f in watcher.report.findings}


def train(model, opt, x, y, steps=4, clear=True, accumulate=1):
    for i in range(steps):
        if clear and i % accumulate == 0:
            opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        if (i + 1) % accumulate == 0:
            opt.step()


def test_missing_zero_grad_is_lc101() -> None:
    model, opt, x, y = make()
    with loopcheck.watch(model, opt, quiet=True) as w:
        train(model, opt, x, y, clear=False)
    assert "LC101" in codes(w)


def test_correct_loop_and_intended_accumulation_are_silent() -> None:
    model, opt, x, y = make()
    with loopcheck.watch(model, opt, quiet=True) as w:
        train(model, opt, x, y)
    assert codes(w) == set()
    with loopcheck.watch(model, opt, quiet=True) as w:
        for i in range(8):
            loss = nn.functional.cross_entropy(model(x), y) / 4
            loss.backward()
            if (i + 1) % 4 == 0:
                opt.step()
                opt.zero_grad()
    assert codes(w) == set()


def test_evaluation_in_train_mode_is_lc201() -> None:
    model, opt, x, y = make()
    with loopcheck.watch(model, opt, quiet=True) as w:
        train(model, opt, x, y)
        with torch.no_grad():
            model(x)
    assert "LC201" in codes(w)


def test_findings_carry_the_user_line() -> None:
    model, opt, x, y = make()
    with loopcheck.watch(model, opt, quiet=True) as w:
        train(model, opt, x, y, clear=False)
    finding = next(f for f in w.report.findings if f.code == "LC101")
    assert finding.path.endswith("test_watch_core.py")


def test_same_numbers_with_and_without_watch() -> None:
    model_a, opt_a, x, y = make()
    train(model_a, opt_a, x, y)
    model_b, opt_b, _, _ = make()
    with loopcheck.watch(model_b, opt_b, quiet=True):
        train(model_b, opt_b, x, y)
    for a, b in zip(model_a.parameters(), model_b.parameters()):
        assert torch.equal(a, b)


def test_hooks_removed_on_exception() -> None:
    model, opt, x, y = make()
    backward = torch.Tensor.backward
    with pytest.raises(ValueError):
        with loopcheck.watch(model, opt, quiet=True):
            train(model, opt, x, y, steps=1)
            raise ValueError("boom")
    assert torch.Tensor.backward is backward
    assert not model._forward_pre_hooks and not model._forward_hooks
    assert not opt._optimizer_step_pre_hooks and not opt._optimizer_step_post_hooks


def test_strict_raises_loop_error() -> None:
    model, opt, x, y = make()
    with pytest.raises(loopcheck.LoopError):
        with loopcheck.watch(model, opt, quiet=True, strict=True):
            train(model, opt, x, y, clear=False)


def test_json_report_has_findings_and_summary() -> None:
    model, opt, x, y = make()
    with loopcheck.watch(model, opt, quiet=True) as w:
        train(model, opt, x, y)
    data = w.report.to_json()
    assert set(data) >= {"findings", "summary"}
