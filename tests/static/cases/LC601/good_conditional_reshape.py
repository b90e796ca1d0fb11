"""The target is reshaped in one branch only: after the `if`, its shape is not known."""
import torch
import torch.nn as nn
import torch.nn.functional as F

inputs = torch.randn(128, 4)
targets = torch.randn(128)
model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
as_column = True

for epoch in range(10):
    optimizer.zero_grad()
    if as_column:
        targets = targets.view(-1, 1)
    loss = F.mse_loss(model(inputs), targets)
    loss.backward()
    optimizer.step()
