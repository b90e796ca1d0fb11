"""An autograd tutorial cell: a tensor made a leaf with requires_grad_() after creation, then
backward() to read its gradient. Nothing is trained."""
import torch

x = torch.ones(2, 2)
x.requires_grad_(True)
y = (x * 3 + 2) ** 2
out = y.mean()
out.backward()
print(x.grad)

w = torch.zeros(3)
w.requires_grad = True
loss = (w - 1.0).pow(2).sum()
loss.backward()
print(w.grad)
