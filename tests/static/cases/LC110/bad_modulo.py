"""The plain accumulation recipe under DDP."""
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

for epoch in range(3):
    for batch_idx, (inputs, labels) in enumerate(loader):
        loss = criterion(model(inputs), labels) / accum_iter
        loss.backward()  # expect: LC110
        if (batch_idx + 1) % accum_iter == 0 or batch_idx + 1 == len(loader):
            optimizer.step()
            optimizer.zero_grad()
