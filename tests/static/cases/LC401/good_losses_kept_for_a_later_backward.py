"""The losses of several micro-batches are kept on purpose: a later loop backpropagates each one
(gradient accumulation written in two passes), which needs their graphs."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.MSELoss()
loader = DataLoader(TensorDataset(torch.randn(64, 4), torch.randn(64, 1)), batch_size=8)
for epoch in range(3):
    losses = []
    for x, y in loader:
        loss = criterion(model(x), y)
        losses.append(loss)
    optimizer.zero_grad()
    for kept in losses:
        kept.backward()
    optimizer.step()
