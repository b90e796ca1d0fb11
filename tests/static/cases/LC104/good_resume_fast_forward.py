"""A resumed run fast-forwards the schedule past the epochs already trained, then steps it at the end of each epoch."""
import sys

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 8, gamma=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
start_epoch = int(sys.argv[1]) if len(sys.argv) > 1 else 0  # resuming

for epoch in range(0, start_epoch):
    scheduler.step()

for epoch in range(start_epoch, 20):
    for inputs, labels in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()
    scheduler.step()
