"""Functional dropout as input noise in a plain function of the training loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def corrupt(x, p=0.1):
    return F.dropout(x, p)


model = nn.Linear(10, 10)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=8)
for (clean,) in loader:
    optimizer.zero_grad()
    loss = F.mse_loss(model(corrupt(clean)), clean)
    loss.backward()
    optimizer.step()
