"""zero_grad every batch, step every accum_steps batches."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
accum_steps = 4

for epoch in range(3):
    for i, (inputs, labels) in enumerate(loader):
        optimizer.zero_grad()  # expect: LC105
        loss = criterion(model(inputs), labels) / accum_steps
        loss.backward()
        if (i + 1) % accum_steps == 0:
            optimizer.step()
