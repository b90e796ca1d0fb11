"""A helper of the same file moves a dict batch: batch = to_device(batch, device)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


def to_device(batch, device):
    return {k: v.to(device) for k, v in batch.items()}


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 1)

    def forward(self, features, target):
        return nn.functional.mse_loss(self.fc(features), target)


device = torch.device("cuda")
model = Regressor().to(device)
optimizer = torch.optim.Adam(model.parameters())
loader = DataLoader([{"features": torch.randn(10), "target": torch.randn(1)} for _ in range(32)], batch_size=8)

for batch in loader:
    batch = to_device(batch, device)
    optimizer.zero_grad()
    loss = model(**batch)
    loss.backward()
    optimizer.step()
