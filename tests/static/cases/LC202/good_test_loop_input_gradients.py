"""Saliency maps over the test set: the loop needs autograd (input gradients), so grad stays on."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
model.load_state_dict(torch.load("weights.pt"))
test_loader = DataLoader(TensorDataset(torch.randn(32, 10)), batch_size=8)

maps = []
for (inputs,) in test_loader:
    inputs.requires_grad_(True)
    scores = model(inputs).max(1).values
    (grads,) = torch.autograd.grad(scores.sum(), inputs)
    maps.append(grads.abs())
