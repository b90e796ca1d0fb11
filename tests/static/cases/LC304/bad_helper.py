"""A helper of the same file that "moves" its arguments in place."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"


def prepare(inputs, labels):
    inputs.to(device)  # expect: LC304
    return inputs, labels


model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    prepare(inputs, labels)
    inputs, labels = inputs.to(device), labels.to(device)
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(inputs), labels).backward()
    optimizer.step()
