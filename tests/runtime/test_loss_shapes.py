"""LC601 at runtime: broadcasting regression losses reported at the user's line, nothing else
changed (values, warnings filters, TorchScript, fx), every patch gone on exit."""
import pytest

torch = pytest.importorskip("torch")

import warnings  # noqa: E402

import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import loopcheck  # noqa: E402
from runtime_helpers import assert_reported, codes, found, marker_line  # noqa: E402

HERE = __file__
ORIGINALS = {name: getattr(F, name) for name in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
                                                 "poisson_nll_loss", "gaussian_nll_loss", "kl_div")}


def regression(batches: int = 3, sizes: tuple = (8,)):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    data = [(torch.randn(n, 3), torch.randn(n)) for _ in range(batches) for n in sizes]
    return model, opt, data


def test_mse_loss_module_reported_at_the_call_with_shapes_count_and_names():
    model, opt, data = regression(3, sizes=(8, 5))
    criterion = nn.MSELoss()
    with loopcheck.watch(model, opt, quiet=True) as w:
        for x, target in data:
            opt.zero_grad()
            prediction = model(x)
            criterion(prediction, target).backward()  # <LC601>
            opt.step()
    assert_reported(w, "LC601", HERE, "LC601")
    (finding,) = found(w, "LC601")
    assert finding.count == 6            # every call, whatever the batch size
    assert finding.severity.value == "error"
    assert finding.message.startswith("MSELoss() gets a prediction of shape (8, 1)")
    assert "shape (8, 1)" in finding.message and "shape (8,)" in finding.message and "(8, 8)" in finding.message
    assert finding.fix == ("squeeze the prediction (prediction.squeeze(-1)) or reshape the target "
                           "(target.view_as(prediction))")
    assert codes(w) == {"LC601"}


def test_functional_losses_with_keywords_and_the_reverse_shapes():
    column, row = torch.randn(6, 1), torch.randn(6)
    with loopcheck.watch(quiet=True) as w:
        F.l1_loss(input=row, target=column)  # <reverse>
        F.kl_div(column, row, reduction="batchmean")  # <kl>
    assert {f.line for f in found(w, "LC601")} == {marker_line(HERE, "reverse"), marker_line(HERE, "kl")}
    reverse = next(f for f in found(w, "LC601") if "l1_loss" in f.message)
    assert reverse.fix.startswith("squeeze the target")


@pytest.mark.parametrize("given, target", [
    ((8, 1), (8, 1)),      # equal
    ((8, 1), ()),          # a scalar target
    ((8, 1), (1,)),        # one shared value
    ((8, 4), (4,)),        # one target row for every sample
    ((), (8,)),            # one fitted constant against every target
    ((1, 1), (1,)),        # a batch of one: (1, 1), no harm
])
def test_broadcasts_to_one_of_the_shapes_are_not_reported(given, target):
    with loopcheck.watch(quiet=True) as w, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        F.mse_loss(torch.randn(given), torch.randn(target), reduction="none")
        F.smooth_l1_loss(torch.randn(given), torch.randn(target))
    assert not found(w)


def test_same_values_and_classification_losses_untouched():
    torch.manual_seed(0)
    logits, labels = torch.randn(8, 3), torch.randint(0, 3, (8,))
    column, row = torch.randn(8, 1), torch.randn(8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = (F.mse_loss(column, row), F.cross_entropy(logits, labels))
        with loopcheck.watch(quiet=True) as w:
            watched = (F.mse_loss(column, row), F.cross_entropy(logits, labels))
    assert all(torch.equal(a, b) for a, b in zip(plain, watched))
    assert codes(w) == {"LC601"}


def test_torch_size_warning_shown_once_not_twice():
    """The reported call's torch warning is not displayed (the report carries it); an unreported
    call's warning still is, and catch_warnings(record=True) still records everything."""
    column, row = torch.randn(4, 1), torch.randn(4)
    shown = []
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, *args, **kwargs: shown.append(str(message))  # the display
        with loopcheck.watch(quiet=True) as w:
            F.mse_loss(column, row)
            F.mse_loss(column, torch.zeros(()))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                F.mse_loss(column, row)
    assert len(shown) == 1 and "torch.Size([])" in shown[0]
    assert [str(c.message)[:20] for c in caught] == ["Using a target size "]
    assert [f.count for f in found(w, "LC601")] == [1, 1]   # two lines


def test_warnings_as_errors_still_raise():
    with loopcheck.watch(quiet=True), warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="Using a target size"):
            F.mse_loss(torch.randn(4, 1), torch.randn(4))


def test_patches_removed_on_exit_also_on_exceptions_and_kept_references_call_through():
    with pytest.raises(ValueError):
        with loopcheck.watch(quiet=True):
            kept = F.mse_loss
            raise ValueError("boom")
    assert {name: getattr(F, name) for name in ORIGINALS} == ORIGINALS
    assert warnings.showwarning is warnings._showwarning_orig
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept(torch.randn(4, 1), torch.randn(4))   # after exit: torch's behaviour, warning shown
    assert len(caught) == 1


def test_torchscript_and_fx_still_see_torch_functions():
    class Loss(nn.Module):
        def forward(self, prediction, target):
            return F.mse_loss(prediction, target)

    with loopcheck.watch(quiet=True) as w, warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)   # torch.jit.script is deprecated
        scripted = torch.jit.script(Loss())
        scripted_module = torch.jit.script(nn.MSELoss())
        traced = torch.fx.symbolic_trace(Loss())
        values = [f(torch.ones(3), torch.zeros(3)) for f in (scripted, scripted_module, traced)]
    assert [float(v) for v in values] == [1.0, 1.0, 1.0]
    assert not found(w)


def test_torch_compile_traces_through_without_a_graph_break():
    def step(prediction, target):
        return F.mse_loss(prediction, target)

    compiled = torch.compile(step, backend="eager", fullgraph=True)   # fullgraph: a graph break raises
    with loopcheck.watch(quiet=True), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = compiled(torch.ones(4, 1), torch.ones(4, 1) * 2)
    assert float(value) == 1.0
