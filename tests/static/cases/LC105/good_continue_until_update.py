"""timm-style accumulation: skip the rest of the iteration until an update is due."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
accum_steps = 4

for batch_idx, (inputs, labels) in enumerate(loader):
    inputs, labels = inputs.to(device), labels.to(device)
    need_update = (batch_idx + 1) % accum_steps == 0
    loss = criterion(model(inputs), labels) / accum_steps
    loss.backward()
    if not need_update:
        continue
    optimizer.step()
    optimizer.zero_grad()
