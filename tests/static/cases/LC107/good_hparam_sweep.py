"""A learning-rate sweep: each trial trains a fresh model with a fresh optimizer."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for lr in [1e-1, 1e-2, 1e-3]:
    model = nn.Linear(10, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(3):
        for inputs, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
