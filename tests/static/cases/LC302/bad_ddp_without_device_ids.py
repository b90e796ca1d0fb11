"""DistributedDataParallel without device_ids does not move the inputs: the module is on the GPU
and the tensor made in the loop stays on the CPU."""
import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel

dist.init_process_group("nccl")
device = torch.device("cuda", dist.get_rank())
model = DistributedDataParallel(nn.Linear(20, 1).to(device))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    inputs = torch.randn(40, 20)  # expect: LC302
    loss = model(inputs).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
