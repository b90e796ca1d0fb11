"""Step at the top of the iteration applies the previous iteration's gradients,
then clears: unusual but correct (the last batch's gradients are never applied)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for i, (inputs, labels) in enumerate(loader):
    if i > 0:
        optimizer.step()
        optimizer.zero_grad()
    loss = criterion(model(inputs), labels)
    loss.backward()
