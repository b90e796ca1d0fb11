"""Accumulation in a single process: no gradient sync to skip."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.DataParallel(nn.Linear(10, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
accum = 4
for i, (inputs, labels) in enumerate(loader):
    loss = nn.functional.cross_entropy(model(inputs), labels) / accum
    loss.backward()
    if (i + 1) % accum == 0:
        optimizer.step()
        optimizer.zero_grad()
