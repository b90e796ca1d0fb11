"""A test's mock training builds plain SGD (no momentum) in the loop: SGD without momentum keeps
no state between steps, so a fresh one per iteration loses nothing."""
import torch
import torch.nn as nn

model = nn.Linear(5, 1)
for _ in range(5):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    optimizer.zero_grad()
    loss = model(torch.randn(10, 5)).sum()
    loss.backward()
    optimizer.step()

for _ in range(5):
    optimizer = torch.optim.SGD(model.parameters(), 0.01, 0.0)
    optimizer.zero_grad()
    model(torch.randn(10, 5)).sum().backward()
    optimizer.step()

for _ in range(5):   # momentum spelled as a hex literal: still zero
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0x0)
    optimizer.zero_grad()
    model(torch.randn(10, 5)).sum().backward()
    optimizer.step()
