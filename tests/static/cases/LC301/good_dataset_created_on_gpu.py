"""The whole (small) dataset is put on the GPU once; the loader then yields GPU batches."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"
features = np.random.rand(256, 4).astype("float32")
targets = np.random.rand(256, 1).astype("float32")
X = torch.tensor(features, device=device)
y = torch.from_numpy(targets).to(device)
train_ds = TensorDataset(X, y)
train_dl = DataLoader(train_ds, batch_size=32, shuffle=True)
valid_dl = DataLoader(TensorDataset(X[:64], y[:64]), batch_size=64)

model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for xb, yb in train_dl:
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
