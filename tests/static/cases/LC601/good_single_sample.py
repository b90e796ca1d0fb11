"""A model called on one unbatched state returns (1,), compared with a 1-D target: no broadcast."""
import torch
import torch.nn as nn
import torch.nn.functional as F

critic = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(critic.parameters())
state = torch.randn(4)

for step in range(100):
    optimizer.zero_grad()
    value = critic(state)
    loss = F.smooth_l1_loss(value, torch.tensor([1.0]).view(-1))
    loss.backward()
    optimizer.step()
