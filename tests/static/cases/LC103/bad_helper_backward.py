"""The backward happens in a helper called after the step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def compute_and_backprop(model, criterion, inputs, labels):
    loss = criterion(model(inputs), labels)
    loss.backward()
    return loss.item()


def main():
    model = nn.Linear(10, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for epoch in range(3):
        for inputs, labels in loader:
            optimizer.zero_grad()
            optimizer.step()  # expect: LC103
            compute_and_backprop(model, criterion, inputs, labels)


main()
