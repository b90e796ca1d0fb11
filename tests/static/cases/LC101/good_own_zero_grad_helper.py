"""The project's own zero_grad(params) helper clears .grad.data in place before each backward."""
import torch
import torch.nn as nn

model = nn.Linear(3, 1)
params = list(model.parameters())
optimizer = torch.optim.SGD(params, lr=0.1)
x, y = torch.randn(20, 3), torch.randn(20, 1)


def zero_grad(params):
    for p in params:
        if p.grad is not None:
            p.grad.data.zero_()


for i in range(10):
    zero_grad(params)
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
