"""`run_loss` is a running-average metric, not a list: its append() detaches and reduces the
value (MONAI's CumulativeAverage, torchmetrics-style meters)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class CumulativeAverage:
    def __init__(self):
        self.total, self.count = 0.0, 0

    def append(self, value):
        self.total += float(value.detach())
        self.count += 1

    def aggregate(self):
        return self.total / max(self.count, 1)


model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.MSELoss()
loader = DataLoader(TensorDataset(torch.randn(64, 4), torch.randn(64, 1)), batch_size=8)
for epoch in range(3):
    run_loss = CumulativeAverage()
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        run_loss.append(loss)
    print(run_loss.aggregate())
