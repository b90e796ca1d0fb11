"""Accumulation with step then zero_grad inside the same if."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
gradient_accumulation_steps = 2

optimizer.zero_grad()
for step, (inputs, labels) in enumerate(loader):
    loss = criterion(model(inputs), labels)
    loss = loss / gradient_accumulation_steps
    loss.backward()
    if step % gradient_accumulation_steps == 0 or step == len(loader) - 1:
        optimizer.step()
        optimizer.zero_grad()
