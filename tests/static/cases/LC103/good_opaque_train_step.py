"""The backward runs in an imported function the checker cannot see."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from engine import forward_backward

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    optimizer.zero_grad()
    forward_backward(model, inputs, labels)
    optimizer.step()
