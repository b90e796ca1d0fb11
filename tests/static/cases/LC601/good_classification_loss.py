"""CrossEntropyLoss takes (N, C) logits and (N,) class indices: different shapes on purpose."""
import torch
import torch.nn as nn
import torch.nn.functional as F

inputs = torch.randn(256, 10)
labels = torch.randint(0, 3, (256,))
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters())

for epoch in range(10):
    optimizer.zero_grad()
    logits = model(inputs)
    loss = F.cross_entropy(logits, labels) + F.binary_cross_entropy_with_logits(logits, labels.view(-1, 1).float())
    loss.backward()
    optimizer.step()
