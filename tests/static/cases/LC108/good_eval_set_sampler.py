"""A shuffling DistributedSampler over the validation set (shuffle left at its default), and no set_epoch():
the validation pass averages over all of its data, so the order it visits them in does not matter."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

trainset = TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)))
valset = TensorDataset(torch.randn(32, 10), torch.randint(0, 2, (32,)))
model = nn.Sequential(nn.Linear(10, 2), nn.Dropout(0.1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(trainset, batch_size=8, shuffle=True)


def validate(model, distributed_run):
    model.eval()
    with torch.no_grad():
        val_sampler = DistributedSampler(valset, num_replicas=1, rank=0) if distributed_run else None
        val_loader = DataLoader(valset, sampler=val_sampler, shuffle=False, batch_size=8)
        val_loss = 0.0
        for i, (inputs, labels) in enumerate(val_loader):
            val_loss += criterion(model(inputs), labels).item()
    model.train()
    return val_loss / (i + 1)


for epoch in range(10):
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
    print(validate(model, distributed_run=True))
