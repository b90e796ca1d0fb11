"""`m` is a module in one function but a tensor here: the bare `m.to(device)` discards the moved
copy of the tensor."""
import torch
import torch.nn as nn

device = torch.device("cuda")


def build():
    m = nn.Linear(4, 4)
    m.to(device)
    return m


def batch_mean(model):
    m = torch.randn(8, 4)
    m.to(device)  # expect: LC304
    return model(m).mean()
