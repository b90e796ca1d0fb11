"""Notebook: the first cells train on the CPU; a later cell moves the model to the GPU and
trains again with the batches moved. Until that cell the model and the data share the CPU."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# %% cell 1: data and model
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()

# %% cell 2: a first epoch on the CPU
for inputs, labels in loader:
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)
    loss.backward()
    optimizer.step()

# %% cell 3: now on the GPU
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model.to(device)
for inputs, labels in loader:
    inputs, labels = inputs.to(device), labels.to(device)
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)
    loss.backward()
    optimizer.step()
