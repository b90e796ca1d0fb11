"""The (N, 1) prediction is squeezed before the loss: shapes match."""
import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.linspace(-3, 3, 200)
y = torch.sin(x)
model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

for step in range(500):
    optimizer.zero_grad()
    prediction = model(x.unsqueeze(1)).squeeze()
    loss = F.mse_loss(prediction, y)
    loss.backward()
    optimizer.step()
