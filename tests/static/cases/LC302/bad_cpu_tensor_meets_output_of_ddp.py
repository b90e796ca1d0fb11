"""DistributedDataParallel moves the forward's inputs, not what its output is combined with:
the CPU mask meets the output on the GPU."""
import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel

dist.init_process_group("nccl")
rank = dist.get_rank()
torch.cuda.set_device(rank)
model = DistributedDataParallel(nn.Linear(20, 4).cuda(), device_ids=[rank])
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    out = model(torch.randn(40, 20))
    mask = torch.ones(40, 4)  # expect: LC302
    loss = (out * mask).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
