"""A helper of the same file builds the optimizer, called from inside the loop."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def make_optimizer(model, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)  # expect: LC107
    return optimizer


def main():
    model = nn.Linear(10, 2)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for inputs, labels in loader:
        optimizer = make_optimizer(model, 0.1)
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()


main()
