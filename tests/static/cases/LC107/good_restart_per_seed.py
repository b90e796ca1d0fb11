"""A seed sweep where each run is one short loop: the model is rebuilt for every seed."""
import torch
import torch.nn as nn

x, y = torch.randn(32, 5), torch.randn(32, 1)
results = {}
for seed in range(5):
    torch.manual_seed(seed)
    regressor = nn.Linear(5, 1)
    optimizer = torch.optim.Adam(regressor.parameters(), lr=0.1)
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(regressor(x), y)
    loss.backward()
    optimizer.step()
    results[seed] = loss.item()
