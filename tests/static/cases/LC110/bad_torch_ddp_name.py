"""DistributedDataParallel spelled out, in a train function."""
import torch
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel


def train(rank, loader, accum=2):
    model = DistributedDataParallel(nn.Linear(10, 2).to(rank), device_ids=[rank])
    optimizer = torch.optim.Adam(model.parameters())
    for i, (inputs, labels) in enumerate(loader):
        inputs, labels = inputs.to(rank), labels.to(rank)
        loss = nn.functional.cross_entropy(model(inputs), labels)
        (loss / accum).backward()  # expect: LC110
        if i % accum == accum - 1:
            optimizer.step()
            optimizer.zero_grad()
