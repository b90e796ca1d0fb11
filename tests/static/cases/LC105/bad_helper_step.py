"""The conditional step lives in a helper; the loop clears every batch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def maybe_step(optimizer, i, every):
    if (i + 1) % every == 0:
        optimizer.step()


def main():
    model = nn.Linear(10, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for i, (inputs, labels) in enumerate(loader):
        optimizer.zero_grad()  # expect: LC105
        loss = criterion(model(inputs), labels)
        loss.backward()
        maybe_step(optimizer, i, 4)


main()
