"""Plain SGD has no state, but the LR schedule built on it restarts with every new optimizer:
the learning rate never leaves its first value."""
import torch
import torch.nn as nn

model = nn.Linear(5, 1)
for step in range(100):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)  # expect: LC107
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
    optimizer.zero_grad()
    model(torch.randn(10, 5)).pow(2).mean().backward()
    optimizer.step()
    scheduler.step()
