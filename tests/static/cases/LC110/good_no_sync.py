"""no_sync() on the micro-batches that do not step."""
import contextlib

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset

dist.init_process_group("gloo")
model = DDP(nn.Linear(10, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
accum_iter = 8
for batch_idx, (inputs, labels) in enumerate(loader):
    sync = (batch_idx + 1) % accum_iter == 0
    with contextlib.nullcontext() if sync else model.no_sync():
        loss = criterion(model(inputs), labels) / accum_iter
        loss.backward()
    if sync:
        optimizer.step()
        optimizer.zero_grad()
