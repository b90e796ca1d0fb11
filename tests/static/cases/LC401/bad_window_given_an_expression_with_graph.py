"""A loss window of the file keeps the tensors it is given in a list, and its caller hands it
`loss * 1.0`, an expression that keeps the graph: every iteration's graph stays alive."""
import torch
import torch.nn as nn


class LossWindow:
    def __init__(self, size):
        self.losses = []
        self.size = size

    def append(self, loss):
        if len(self.losses) >= self.size:
            self.losses = self.losses[-self.size:]
        self.losses.append(loss)  # expect: LC401

    def average(self):
        return torch.mean(torch.stack(self.losses))


model = nn.Linear(8, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
window = LossWindow(10)
x, y = torch.randn(64, 8), torch.randn(64, 1)
for step in range(100):
    loss = nn.functional.mse_loss(model(x), y)
    window.append(loss * 1.0)
    if window.average() < 1e-3:
        break
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
