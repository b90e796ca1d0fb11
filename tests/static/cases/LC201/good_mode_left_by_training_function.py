"""`model = train(model, ...)` gives back the same model, left in eval mode by the validation
step that ends each epoch: the test-set inference afterwards is in eval mode."""
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))

    def forward(self, x):
        return self.layers(x)


def train_step(model, loader, optimizer, criterion):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()


def valid_step(model, loader, criterion):
    model.eval()
    with torch.no_grad():
        return sum(criterion(model(x), y).item() for x, y in loader)


def train(model, loader, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        train_step(model, loader, optimizer, criterion)
        print(epoch, valid_step(model, loader, criterion))
    return model


def main(loader, x_test):
    model = Net()
    model = train(model, loader, 3)
    with torch.no_grad():
        return model(x_test).argmax(1)
