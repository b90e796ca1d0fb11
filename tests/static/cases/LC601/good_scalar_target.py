"""A shared target (a scalar, or one row for every sample) broadcasts to the prediction's shape on purpose."""
import torch
import torch.nn as nn
import torch.nn.functional as F

codes = torch.randn(64, 8)
encoder = nn.Linear(8, 1)
optimizer = torch.optim.SGD(encoder.parameters(), lr=0.01)

for epoch in range(10):
    optimizer.zero_grad()
    energy = encoder(codes)
    loss = F.mse_loss(energy, torch.zeros(())) + F.mse_loss(energy, torch.zeros(1))
    loss.backward()
    optimizer.step()
