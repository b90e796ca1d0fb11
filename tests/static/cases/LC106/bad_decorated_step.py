"""A train step decorated with @torch.no_grad() (copied from the eval function)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


@torch.no_grad()
def train_step(model, optimizer, criterion, inputs, labels):
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)
    loss.backward()  # expect: LC106
    optimizer.step()


def main():
    model = nn.Linear(10, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for inputs, labels in loader:
        train_step(model, optimizer, criterion, inputs, labels)


main()
