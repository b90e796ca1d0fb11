"""A feature scaler from scikit-learn next to a plain training loop."""
import numpy as np
import torch
import torch.nn as nn
from sklearn.preprocessing import StandardScaler
from torch.utils.data import DataLoader, TensorDataset

scaler = StandardScaler()
features = scaler.fit_transform(np.random.randn(64, 10)).astype("float32")
loader = DataLoader(TensorDataset(torch.from_numpy(features), torch.randn(64, 1)), batch_size=8)
model = nn.Linear(10, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for inputs, targets in loader:
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(inputs), targets)
    loss.backward()
    optimizer.step()
