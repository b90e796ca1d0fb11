"""Dict batches: step placed between the clear and the backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 1)

    def forward(self, features, target):
        return nn.functional.mse_loss(self.fc(features), target)


model = Regressor()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
data = [{"features": torch.randn(10), "target": torch.randn(1)} for _ in range(32)]
train_dataloader = DataLoader(data, batch_size=8)

for epoch in range(2):
    for batch in train_dataloader:
        optimizer.zero_grad()
        loss = model(**batch)
        optimizer.step()  # expect: LC103
        loss.backward()
