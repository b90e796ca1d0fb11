"""A test module reuses `m`: one test binds a tensor to it, another a module built from a class,
which `m.to(device)` moves in place."""
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x)


def test_tensor_mean():
    m = torch.randn(8, 4)
    assert m.mean().abs() < 10


def test_mlp_on_device():
    m = MLP()
    m.to(device=device)
    x = torch.randn(2, 4, device=device)
    assert m(x).shape == (2, 4)
