"""DistributedDataParallel given device_ids moves the forward's inputs to its device (and
DataParallel scatters them): a CPU tensor handed to the wrapped model's forward is fine."""
import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel

dist.init_process_group("nccl")
rank = dist.get_rank()
model = DistributedDataParallel(nn.Linear(20, 1).to(rank), device_ids=[rank], output_device=rank)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    inputs = torch.randn(40, 20)
    loss = model(inputs).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

replicated = nn.DataParallel(nn.Linear(20, 1).cuda())
for step in range(10):
    out = replicated(torch.randn(40, 20))
    out.mean().backward()
