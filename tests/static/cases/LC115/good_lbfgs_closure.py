"""LBFGS steps with a closure."""
import torch
import torch.nn as nn

model = nn.Linear(10, 1)
optimizer = torch.optim.LBFGS(model.parameters(), lr=1.0)
inputs, targets = torch.randn(64, 10), torch.randn(64, 1)

for iteration in range(20):
    def closure():
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(inputs), targets)
        loss.backward()
        return loss
    optimizer.step(closure)
