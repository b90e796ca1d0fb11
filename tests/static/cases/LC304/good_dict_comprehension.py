"""Moving a dict batch with a comprehension; model.cuda() as a statement."""
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
model.cuda()
optimizer = torch.optim.Adam(model.parameters())
loader = DataLoader([{"features": torch.randn(10), "target": torch.randn(1)} for _ in range(32)], batch_size=8)

for batch in loader:
    batch = {k: v.cuda(non_blocking=True) for k, v in batch.items()}
    optimizer.zero_grad()
    model(**batch).backward()
    optimizer.step()
