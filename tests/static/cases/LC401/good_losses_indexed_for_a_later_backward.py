"""Forwards first, then one backward per kept loss, taken back by index (accelerate's sync tests):
the graphs are kept because the backward passes need them."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
for epoch in range(2):
    losses = []
    for x, y in loader:
        losses.append(F.mse_loss(model(x), y))
    optimizer.zero_grad()
    for i in range(len(losses)):
        loss = losses[i]
        loss.backward()
    optimizer.step()
