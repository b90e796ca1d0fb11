"""torch.func training: the forward is differentiated by a transform, with no backward() call.
It is a training forward (no LC201); an evaluation through functional_call still is one."""
import pytest

torch = pytest.importorskip("torch")

from torch.func import functional_call, grad, vmap  # noqa: E402

import loopcheck  # noqa: E402
from runtime_helpers import data, mlp  # noqa: E402


def test_torch_func_grad_forward_is_training_and_functional_eval_is_checked():
    model = mlp(dropout=True)
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss_fn(params, x, y):
        return torch.nn.functional.cross_entropy(functional_call(model, params, (x,)), y)

    def sample_loss(params, x, y):   # per-sample gradients: vmap over grad
        return loss_fn(params, x[None], y[None])

    with loopcheck.watch(model, quiet=True) as w:
        for x, y in data(3):
            grads = grad(loss_fn)(params, x, y)
            params = {k: p - 0.1 * grads[k] for k, p in params.items()}
            vmap(grad(sample_loss), in_dims=(None, 0, 0), randomness="different")(params, x, y)
    assert w.report.findings == []
    assert list(w.report.summary["models"]["model"]["forwards"]) == ["training (train mode + grad unknown)"]

    with loopcheck.watch(model, quiet=True) as evaluation:   # still in train mode: a real LC201
        with torch.no_grad():
            functional_call(model, params, (data(1)[0][0],))
    assert [f.code for f in evaluation.report.findings] == ["LC201"]
    assert "model runs an evaluation forward" in evaluation.report.findings[0].message
