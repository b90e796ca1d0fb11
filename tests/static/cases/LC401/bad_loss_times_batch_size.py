"""The loss tensor itself weighted by the batch size: the graph is kept."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64)), batch_size=8)

total_loss = 0
for inputs, targets in loader:
    optimizer.zero_grad()
    pred = model(inputs).squeeze(-1)
    loss = nn.functional.mse_loss(pred, targets)
    loss.backward()
    optimizer.step()
    total_loss += loss * pred.size(0)  # expect: LC401
print(total_loss / len(loader.dataset))
