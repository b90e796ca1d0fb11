"""The optimizer is rebuilt once, when the backbone is unfrozen."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
unfreeze_epoch = 5

for epoch in range(10):
    if epoch == unfreeze_epoch:
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
