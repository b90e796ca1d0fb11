"""A while loop that steps before backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

iteration = 0
batches = iter(loader)
while iteration < 100:
    inputs, labels = next(batches)
    model.zero_grad()
    loss = criterion(model(inputs), labels)
    optimizer.step()  # expect: LC103
    loss.backward()
    iteration += 1
