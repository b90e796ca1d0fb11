"""Gradients cleared by hand with p.grad = None."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for epoch in range(3):
    for inputs, labels in loader:
        for p in model.parameters():
            p.grad = None
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
