"""The loop calls a helper of the same file that does backward and step, but never clears."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def train_step(model, optimizer, criterion, inputs, labels):
    loss = criterion(model(inputs), labels)
    loss.backward()
    optimizer.step()  # expect: LC101
    return loss.item()


def main():
    model = nn.Linear(10, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for epoch in range(3):
        for inputs, labels in loader:
            train_step(model, optimizer, criterion, inputs, labels)


if __name__ == "__main__":
    main()
