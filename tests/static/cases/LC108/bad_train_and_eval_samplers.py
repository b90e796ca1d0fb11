"""Samplers for both splits and no set_epoch(): the validation sampler's order is harmless, the
training sampler's is the bug (every epoch trains on the same order)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

datasets = {"train": TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))),
            "val": TensorDataset(torch.randn(32, 10), torch.randint(0, 2, (32,)))}
model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(datasets["train"], batch_size=8,
                          sampler=DistributedSampler(datasets["train"], num_replicas=1, rank=0))  # expect: LC108
val_loader = DataLoader(datasets["val"], batch_size=8,
                        sampler=DistributedSampler(datasets["val"], num_replicas=1, rank=0))

for epoch in range(10):
    model.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for inputs, labels in val_loader:
            val_loss = criterion(model(inputs), labels)
