"""A helper of the same file records the loss tensor in a history list."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

history = []


def train_step(model, optimizer, inputs, labels):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels)
    loss.backward()
    optimizer.step()
    history.append(loss)  # expect: LC401


model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
for epoch in range(3):
    for inputs, labels in loader:
        train_step(model, optimizer, inputs, labels)
