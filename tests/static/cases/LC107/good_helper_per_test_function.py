"""A test module: each test trains a fresh model for one step with a helper that builds its
own optimizer. The helper is called by several tests and for several models, each an
independent run: no optimizer state is lost."""
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x)


def fit_one_batch(model, inputs, targets):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def test_loss_is_finite():
    model = MLP()
    assert torch.isfinite(torch.tensor(fit_one_batch(model, torch.randn(8, 4), torch.randn(8, 1))))


def test_parameters_change():
    model = MLP()
    before = [p.clone() for p in model.parameters()]
    fit_one_batch(model, torch.randn(8, 4), torch.randn(8, 1))
    fit_one_batch(model, torch.randn(8, 4), torch.randn(8, 1))
    assert any((a != b).any() for a, b in zip(before, model.parameters()))


def test_every_width_trains():
    for hidden in (4, 16, 64):
        model = MLP(hidden)
        assert fit_one_batch(model, torch.randn(8, 4), torch.randn(8, 1)) > 0
