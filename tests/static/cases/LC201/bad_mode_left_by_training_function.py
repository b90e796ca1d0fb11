"""`model = fit(model, ...)` gives back the same model, still in train mode: fit() never
validates, so the test-set inference afterwards runs with Dropout on."""
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))

    def forward(self, x):
        return self.layers(x)


def fit(model, loader, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    model.train()
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
    return model


def main(loader, x_test):
    model = Net()
    model = fit(model, loader, 3)
    with torch.no_grad():
        return model(x_test).argmax(1)  # expect: LC201
