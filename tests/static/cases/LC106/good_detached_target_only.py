"""Only the target is detached (BYOL / self-training); the prediction keeps its graph."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

online_net = nn.Linear(10, 8)
target_encoder = nn.Linear(10, 8)
optimizer = torch.optim.SGD(online_net.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=8)

for (x,) in loader:
    prediction = online_net(x)
    target = target_encoder(x).detach()
    loss = nn.functional.mse_loss(prediction, target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
