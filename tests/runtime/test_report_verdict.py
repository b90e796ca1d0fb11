"""The report's one-line verdict: "no problems seen" only where the rules could apply."""
import pytest

torch = pytest.importorskip("torch")

import loopcheck  # noqa: E402
from runtime_helpers import data, mlp  # noqa: E402


def _verdict(watcher) -> str:  # noqa: ANN001
    return next(line for line in str(watcher.report).splitlines() if line.startswith("loopcheck: "))


def test_verdict_says_when_the_training_rules_could_not_apply():
    model = mlp()
    with loopcheck.watch(model, quiet=True) as inference:          # no optimizer watched
        with torch.no_grad():
            model.eval()
            model(data(1)[0][0])
    assert _verdict(inference).startswith("loopcheck: no problems seen in the forwards, but no optimizer was watched")

    with loopcheck.watch(quiet=True) as nothing:                   # e.g. training ran in mp.spawn workers
        pass
    assert _verdict(nothing).startswith("loopcheck: nothing to check") and "subprocesses" in _verdict(nothing)

    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with loopcheck.watch(model, opt, quiet=True) as never_stepped:
        pass
    assert "no optimizer stepped in this process" in _verdict(never_stepped)

    with loopcheck.watch(model, opt, quiet=True) as trained:
        for x, y in data(2):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    assert _verdict(trained) == "loopcheck: no problems seen while the loop ran"
