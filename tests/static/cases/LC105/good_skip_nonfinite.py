"""Skipping the whole iteration on a non-finite loss before backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
accum_steps = 4

for inputs, labels in loader:
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)
    if not torch.isfinite(loss):
        continue
    loss.backward()
    optimizer.step()
