"""Accumulation with AMP: scaler.step every k batches."""
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
scaler = torch.cuda.amp.GradScaler()
accumulation_steps = 4
for i, (inputs, labels) in enumerate(loader):
    with torch.autocast("cuda"):
        loss = criterion(model(inputs), labels) / accumulation_steps
    scaler.scale(loss).backward()  # expect: LC110
    if (i + 1) % accumulation_steps == 0:
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad()
