"""YOLO-style `loss, loss_items = compute_loss(pred, targets)`: what the loss object returns
besides the loss (detached items) cannot be told from the source, so stay silent."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from utils.loss import ComputeLoss

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 4))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
compute_loss = ComputeLoss(model)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64, 4)), batch_size=8)

mean_loss_items = torch.zeros(3)
for epoch in range(2):
    for inputs, targets in loader:
        loss, loss_items = compute_loss(model(inputs), targets)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        mean_loss_items += loss_items
