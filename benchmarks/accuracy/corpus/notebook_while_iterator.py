#!/usr/bin/env python
# coding: utf-8
# Notebook export: a step-budgeted loop driven by `while` and a manually advanced iterator,
# with validation every few steps inside the loop.

# In[1]:

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(7)
dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")

# In[2]:

X = torch.randn(96, 12)
Y = (X[:, :3].sum(1) > 0).long()
train_dl = DataLoader(TensorDataset(X[:64], Y[:64]), batch_size=8, shuffle=True)
valid_dl = DataLoader(TensorDataset(X[64:], Y[64:]), batch_size=16)

net = nn.Sequential(nn.Linear(12, 48), nn.BatchNorm1d(48), nn.ReLU(), nn.Dropout(0.1), nn.Linear(48, 2)).to(dev)
crit = nn.CrossEntropyLoss()
opt = torch.optim.Adam(net.parameters(), lr=3e-3)

# In[3]:

max_steps, eval_every = 12, 4
step = 0
it = iter(train_dl)
net.train()
while step < max_steps:
    try:
        xb, yb = next(it)
    except StopIteration:
        it = iter(train_dl)
        xb, yb = next(it)
    xb = xb.to(dev)
    yb = yb.to(dev)

    opt.zero_grad()
    out = net(xb)
    loss = crit(out, yb)
    loss.backward()
    opt.step()
    step += 1

    if step % eval_every == 0:
        net.eval()
        hits = 0
        with torch.no_grad():
            for xv, yv in valid_dl:
                xv, yv = xv.to(dev), yv.to(dev)
                hits += (net(xv).argmax(-1) == yv).sum().item()
        net.train()
        print(f"step {step}: loss {loss.item():.3f} valid acc {hits / 32:.3f}")
