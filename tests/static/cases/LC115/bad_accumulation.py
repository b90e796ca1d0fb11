"""Accumulation that clears every k batches and never steps."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
accumulation = 4
for i, (inputs, labels) in enumerate(train_loader):
    loss = criterion(model(inputs), labels) / accumulation
    loss.backward()  # expect: LC115
    if (i + 1) % accumulation == 0:
        optimizer.zero_grad()
