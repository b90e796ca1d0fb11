"""LBFGS: the closure clears gradients and runs backward inside step()."""
import torch
import torch.nn as nn

model = nn.Linear(10, 1)
optimizer = torch.optim.LBFGS(model.parameters(), lr=1)
criterion = nn.MSELoss()
x, y = torch.randn(64, 10), torch.randn(64, 1)

for i in range(20):
    def closure():
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        return loss

    optimizer.step(closure)
