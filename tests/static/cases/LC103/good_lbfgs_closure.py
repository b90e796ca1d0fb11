"""optimizer.step(closure) before any visible backward: the closure runs it."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 1)
optimizer = torch.optim.LBFGS(model.parameters(), history_size=10, max_iter=4)
criterion = nn.MSELoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64, 1)), batch_size=16)

for inputs, targets in loader:
    def closure():
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        return loss

    optimizer.step(closure)
