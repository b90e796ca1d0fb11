"""Epochs counted by a while loop."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

dataset = TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)))
model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
sampler = DistributedSampler(dataset, num_replicas=1, rank=0)  # expect: LC108
dataloader = DataLoader(dataset, batch_size=8, sampler=sampler)
epoch, max_epochs = 0, 5
while epoch < max_epochs:
    for inputs, labels in dataloader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
    epoch += 1
