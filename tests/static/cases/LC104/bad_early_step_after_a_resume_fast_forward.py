"""A resumed run fast-forwards the schedule (`for _ in range(start_epoch): scheduler.step()`,
on purpose), then steps the scheduler at the top of every epoch, before the optimizer: that one is reported."""
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
    scheduler.step()  # expect: LC104
    for inputs, labels in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()
