"""The target column is selected as a one-column table (N, 1), like the prediction."""
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

df = pd.read_csv("houses.csv")
features = torch.tensor(df[["rooms", "area", "age"]].values, dtype=torch.float32)
prices = torch.tensor(df[["price"]].values, dtype=torch.float32)
loader = DataLoader(TensorDataset(features, prices), batch_size=64, shuffle=True)

model = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 1))
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(20):
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
