"""Warnings torch raises through a wrapper of the watcher name the user's line, as without it."""
import pytest

torch = pytest.importorskip("torch")

import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import loopcheck  # noqa: E402
from runtime_helpers import data, marker_line, mlp  # noqa: E402


def test_torch_warnings_keep_the_users_line():
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with loopcheck.watch(model, opt, quiet=True) as w:
            torch.amp.GradScaler("cuda")  # <scaler>
            sched = torch.optim.lr_scheduler.StepLR(opt, 1)
            for x, y in data(2):
                opt.zero_grad()
                torch.nn.functional.cross_entropy(model(x), y).backward()
                sched.step()  # <sched>
                opt.step()
    sites = {(str(c.message)[:24], c.filename, c.lineno) for c in caught}
    expected = {("Detected call of `lr_sch", __file__, marker_line(__file__, "sched"))}
    if not torch.cuda.is_available():
        expected.add(("torch.cuda.amp.GradScale", __file__, marker_line(__file__, "scaler")))
    assert expected <= sites, sites
    package_dir = str(Path(loopcheck.__file__).resolve().parent)  # not the checkout's folder name
    assert not any(str(Path(c.filename).resolve()).startswith(package_dir) for c in caught)
    assert [f.code for f in w.report.findings] == ["LC104"]
    assert warnings.showwarning is warnings._showwarning_orig   # the patch is gone (catch_warnings' own)
