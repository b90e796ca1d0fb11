"""A helper of the same file clears the gradients between backward and step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def reset(optimizer):
    optimizer.zero_grad()  # expect: LC102


def main():
    model = nn.Linear(10, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for epoch in range(3):
        for inputs, labels in loader:
            loss = criterion(model(inputs), labels)
            loss.backward()
            reset(optimizer)
            optimizer.step()


main()
