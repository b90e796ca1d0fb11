"""Keyword arguments, a column built by reshape(-1, 1) and a target built by arange."""
import torch
import torch.nn.functional as F

weights = torch.zeros(1, requires_grad=True)
optimizer = torch.optim.SGD([weights], lr=0.1)
steps = torch.arange(50).float()
for epoch in range(100):
    optimizer.zero_grad()
    fitted = (steps * weights).reshape(-1, 1)
    loss = F.huber_loss(input=fitted, target=2 * steps + 1)  # expect: LC601
    loss.backward()
    optimizer.step()
