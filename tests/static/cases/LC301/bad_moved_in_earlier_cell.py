"""Notebook: the model was moved to the GPU in an earlier cell; this cell's loop forgets the batch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda")
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))

# %% next cell
model = model.to(device)
optimizer = torch.optim.Adam(model.parameters())

# %% next cell
for inputs, labels in loader:
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels.to(device))  # expect: LC301
    loss.backward()
    optimizer.step()
