"""A textbook notebook: a from-scratch cell zeroes `.grad.data` by hand and updates with its own
sgd(); a later cell trains an nn.Linear with two optimizers (weight decay on the weight only),
both cleared and both stepped every iteration. The scratch cell's backwards were never meant
for optimizers built later."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from d2l import sgd, squared_loss

features, labels = torch.randn(100, 20), torch.randn(100, 1)
train_iter = DataLoader(TensorDataset(features, labels), batch_size=10, shuffle=True)

# %% from scratch
w = torch.randn(20, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for epoch in range(3):
    for X, y in train_iter:
        l = squared_loss(X @ w + b, y).sum() + 3 * (w ** 2).sum() / 2
        if w.grad is not None:
            w.grad.data.zero_()
            b.grad.data.zero_()
        l.backward()
        sgd([w, b], 0.003, 10)


# %% concise
def fit_and_plot_pytorch(wd):
    net = nn.Linear(20, 1)
    optimizer_w = torch.optim.SGD(params=[net.weight], lr=0.003, weight_decay=wd)
    optimizer_b = torch.optim.SGD(params=[net.bias], lr=0.003)
    for epoch in range(3):
        for X, y in train_iter:
            l = ((net(X) - y) ** 2).mean()
            optimizer_w.zero_grad()
            optimizer_b.zero_grad()
            l.backward()
            optimizer_w.step()
            optimizer_b.step()


fit_and_plot_pytorch(0)
fit_and_plot_pytorch(3)
