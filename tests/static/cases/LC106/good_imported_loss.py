"""The loss comes from an imported helper: unknown, never reported."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from losses import compute_loss

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    optimizer.zero_grad()
    with torch.no_grad():
        weights = torch.ones(2)
    loss = compute_loss(model, inputs, labels, weights)
    loss.backward()
    optimizer.step()
