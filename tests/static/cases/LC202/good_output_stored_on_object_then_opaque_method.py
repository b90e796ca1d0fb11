"""The output is stored on an object of an imported class, whose method then runs the update:
the method can reach the stored output without being handed it."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from learners import Learner

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
learner = Learner()

model.eval()
for epoch in range(3):
    for inputs, labels in loader:
        learner.logits = model(inputs)
        learner.labels = labels
        learner.update(optimizer)
