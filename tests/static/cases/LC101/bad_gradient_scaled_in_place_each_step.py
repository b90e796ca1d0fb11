"""Gradient clipping by hand rescales the accumulated gradient (`p.grad = p.grad * s`), which
keeps what earlier backwards added: without zero_grad() each step still applies the sum."""
import torch
import torch.nn as nn

model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for step in range(10):
    loss = model(torch.randn(8, 5)).pow(2).mean()
    loss.backward()
    for p in model.parameters():
        p.grad = p.grad * 0.5
    optimizer.step()  # expect: LC101
