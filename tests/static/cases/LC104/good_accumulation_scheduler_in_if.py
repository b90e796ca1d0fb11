"""Accumulation: the scheduler steps inside the same if, after optimizer.step()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=10)

for step, (inputs, labels) in enumerate(loader):
    loss = criterion(model(inputs), labels) / 4
    loss.backward()
    if (step + 1) % 4 == 0:
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
