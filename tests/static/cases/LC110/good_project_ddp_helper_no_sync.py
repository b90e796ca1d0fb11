"""The look-alike: the same helper-wrapped model, with backward under no_sync() on the
iterations that do not step."""
import contextlib

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from utils.torch_utils import smart_DDP

model = smart_DDP(nn.Linear(10, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
accumulate = 4
for ni, (inputs, labels) in enumerate(loader):
    stepping = (ni + 1) % accumulate == 0
    with contextlib.nullcontext() if stepping else model.no_sync():
        loss = criterion(model(inputs), labels)
        loss.backward()
    if stepping:
        optimizer.step()
        optimizer.zero_grad()
