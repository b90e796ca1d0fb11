"""A GradScaler test writes chosen gradients after backward() (an overflow is faked with a NaN):
the step is meant to use the written values, which is not the wiping of LC102."""
import torch
import torch.nn as nn

model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
optimizer.zero_grad()
for fake_overflow in (False, True):
    loss = model(torch.randn(2, 5)).sum()
    loss.backward()
    for p in model.parameters():
        p.grad.fill_(0.01)
    if fake_overflow:
        p.grad[0] = torch.tensor(float("nan"))
    optimizer.step()
    optimizer.zero_grad()
