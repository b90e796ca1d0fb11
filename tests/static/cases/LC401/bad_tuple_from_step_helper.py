"""`loss, acc = step(...)`: the helper returns the loss tensor, summed with its graph."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)


def step(inputs, labels):
    logits = model(inputs)
    loss = criterion(logits, labels)
    acc = (logits.argmax(1) == labels).float().mean()
    return loss, acc


epoch_loss = 0
for epoch in range(3):
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss, acc = step(inputs, labels)
        loss.backward()
        optimizer.step()
        epoch_loss += loss  # expect: LC401
