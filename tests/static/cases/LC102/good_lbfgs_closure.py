"""LBFGS: clear and backward inside the closure passed to step()."""
import torch
import torch.nn as nn

model = nn.Linear(10, 1)
optimizer = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=5)
x, y = torch.randn(64, 10), torch.randn(64, 1)


def closure():
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss


for epoch in range(10):
    loss = optimizer.step(closure)
