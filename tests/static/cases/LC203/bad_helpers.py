"""train_one_epoch never calls model.train(); evaluate() calls model.eval()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def train_one_epoch(model, loader, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)  # expect: LC203
        loss.backward()
        optimizer.step()


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    return sum(nn.functional.cross_entropy(model(x), y).item() for x, y in loader)


def main():
    model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for epoch in range(5):
        train_one_epoch(model, loader, optimizer)
        evaluate(model, loader)


main()
