"""An evaluate() helper with eval() but no @torch.no_grad()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def evaluate(model, loader, criterion):
    model.eval()
    total = 0.0
    for inputs, labels in loader:
        total += criterion(model(inputs), labels).item()  # expect: LC202
    return total / len(loader)


def train(model, loader, optimizer, criterion):
    model.train()
    for inputs, labels in loader:
        optimizer.zero_grad()
        criterion(model(inputs), labels).backward()
        optimizer.step()


def main():
    model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.Linear(32, 2))
    optimizer = torch.optim.Adam(model.parameters())
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for epoch in range(3):
        train(model, loader, optimizer, criterion)
        evaluate(model, loader, criterion)


main()
