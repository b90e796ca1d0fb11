"""`test(model, testloader)`: a helper whose loader parameter is the test loader, no no_grad()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
trainloader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
testloader = DataLoader(TensorDataset(torch.randn(32, 10), torch.randint(0, 2, (32,))), batch_size=8)


def train(net, loader):
    for inputs, labels in loader:
        optimizer.zero_grad()
        criterion(net(inputs), labels).backward()
        optimizer.step()


def test(net, loader):
    total = 0.0
    for inputs, labels in loader:
        total += criterion(net(inputs), labels).item()  # expect: LC202
    return total


for epoch in range(3):
    train(model, trainloader)
    print(test(model, testloader))
