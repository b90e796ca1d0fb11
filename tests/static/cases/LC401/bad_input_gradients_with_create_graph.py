"""Gradients taken with create_graph=True carry a graph (double backward): summing them keeps every graph."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 10), nn.Tanh(), nn.Linear(10, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

grad_penalty_loss = 0
for inputs, labels in loader:
    inputs.requires_grad_(True)
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels)
    loss.backward(retain_graph=True)
    optimizer.step()
    grad_penalty_loss += torch.autograd.grad(loss, inputs, create_graph=True)[0].pow(2).sum()  # expect: LC401
