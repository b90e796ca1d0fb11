"""An Adam optimizer built for every batch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for epoch in range(3):
    for inputs, labels in loader:
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)  # expect: LC107
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
