"""`p.grad.fill_(0)` after backward() is a zero_grad() by another name: the step sees no gradient."""
import torch
import torch.nn as nn

model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    loss = model(torch.randn(8, 5)).pow(2).mean()
    loss.backward()
    for p in model.parameters():
        p.grad.fill_(0)  # expect: LC102
    optimizer.step()
