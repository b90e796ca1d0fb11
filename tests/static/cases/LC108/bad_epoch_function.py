"""The batch loop in a function of the file, called once per epoch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

dataset = TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)))
model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
sampler = DistributedSampler(dataset, num_replicas=1, rank=0, shuffle=True)  # expect: LC108
loader = DataLoader(dataset, batch_size=8, sampler=sampler)


def train_one_epoch(loader):
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()


for epoch in range(10):
    train_one_epoch(loader)
