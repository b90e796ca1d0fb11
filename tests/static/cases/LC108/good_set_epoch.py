"""The torchvision references recipe."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

dataset = TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)))
model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_sampler = DistributedSampler(dataset, num_replicas=1, rank=0)
train_loader = DataLoader(dataset, batch_size=8, sampler=train_sampler)
distributed = True

for epoch in range(10):
    if distributed:
        train_sampler.set_epoch(epoch)
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
