"""The target is given the prediction's shape (view_as, unsqueeze(1)) before the loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.linspace(-3, 3, 200)
y = torch.sin(x)
model = nn.Linear(1, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

for step in range(500):
    optimizer.zero_grad()
    prediction = model(x.unsqueeze(1))
    loss = F.mse_loss(prediction, y.view_as(prediction)) + F.l1_loss(prediction, y.unsqueeze(1))
    loss.backward()
    optimizer.step()
