"""An iteration loop drawing batches with next()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
batches = iter(train_loader)
for iteration in range(200):
    try:
        inputs, labels = next(batches)
    except StopIteration:
        batches = iter(train_loader)
        inputs, labels = next(batches)
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)
    loss.backward()  # expect: LC115
