"""A step counter compared with args.gradient_accumulation_steps."""
import argparse

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
parser = argparse.ArgumentParser()
parser.add_argument("--gradient_accumulation_steps", type=int, default=4)
args = parser.parse_args()
step = 0
for inputs, labels in loader:
    loss = criterion(model(inputs), labels)
    loss.backward()  # expect: LC110
    step += 1
    if step >= args.gradient_accumulation_steps:
        optimizer.step()
        optimizer.zero_grad()
        step = 0
